package chart

import "image/color"

// Palette is the Okabe–Ito palette (black, orange, sky blue, bluish
// green, yellow, blue, vermillion, reddish purple), distinguishable with
// the common colour-vision deficiencies, and a neutral grey for what is
// unknown. A Series' or Bar's Colour indexes it.
var Palette = []color.NRGBA{
	{0x00, 0x00, 0x00, 0xff}, // black
	{0xe6, 0x9f, 0x00, 0xff}, // orange
	{0x56, 0xb4, 0xe9, 0xff}, // sky blue
	{0x00, 0x9e, 0x73, 0xff}, // bluish green
	{0xf0, 0xe4, 0x42, 0xff}, // yellow
	{0x00, 0x72, 0xb2, 0xff}, // blue
	{0xd5, 0x5e, 0x00, 0xff}, // vermillion
	{0xcc, 0x79, 0xa7, 0xff}, // reddish purple
	{0x99, 0x99, 0x99, 0xff}, // grey: unknown
}

// Indexes into Palette. Meanings are fixed across charts: Chinese is
// vermillion, not Chinese blue, unknown grey, closed orange.
const (
	colBlack = iota
	colOrange
	colSky
	colGreen
	colYellow
	colBlue
	colVermillion
	colPurple
	colGrey
)

// colour returns the palette colour i, grey for an index out of range
// (a hand-edited Chart).
func colour(i int) color.NRGBA {
	if i < 0 || i >= len(Palette) {
		return Palette[colGrey]
	}
	return Palette[i]
}
