// Command hfparquet writes a parquet file in the layout of LMArena's
// leaderboard dataset (the full split's columns), with D publish dates of
// R rows of the "overall" category each, for the import's scale figures:
//
//	go run ./bench/hfparquet -out /tmp/full.parquet -dates 10000 -rows 250
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"time"

	"github.com/parquet-go/parquet-go"
)

// row has the dataset's columns, as the importer reads them.
type row struct {
	ModelName    *string  `parquet:"model_name,optional"`
	Organization *string  `parquet:"organization,optional"`
	License      *string  `parquet:"license,optional"`
	Rating       *float64 `parquet:"rating,optional"`
	RatingLower  *float64 `parquet:"rating_lower,optional"`
	RatingUpper  *float64 `parquet:"rating_upper,optional"`
	Variance     *float64 `parquet:"variance,optional"`
	VoteCount    *int64   `parquet:"vote_count,optional"`
	Rank         *float64 `parquet:"rank,optional"`
	Category     *string  `parquet:"category,optional"`
	Date         *string  `parquet:"leaderboard_publish_date,optional"`
}

func main() {
	out := flag.String("out", "", "file to write")
	dates := flag.Int("dates", 10000, "publish dates")
	rows := flag.Int("rows", 250, "rows per date")
	flag.Parse()
	f, err := os.Create(*out)
	if err != nil {
		fail(err)
	}
	w := parquet.NewGenericWriter[row](f, parquet.Compression(&parquet.Snappy))
	rng := rand.New(rand.NewPCG(1, 1))
	orgs := []string{"OpenAI", "Google", "Anthropic", "DeepSeek", "Alibaba", "Meta", "Zhipu AI", "Moonshot", "Mistral", "xAI"}
	lics := []string{"Proprietary", "MIT", "Apache 2.0", "Llama 3 Community"}
	day := time.Date(2023, 5, 8, 0, 0, 0, 0, time.UTC)
	cat := "overall"
	batch := make([]row, 0, *rows)
	for d := range *dates {
		date := day.AddDate(0, 0, d).Format(time.DateOnly)
		batch = batch[:0]
		for i := range *rows {
			name := fmt.Sprintf("model-%d", (i+d/30)%(*rows*3))
			org, lic := orgs[i%len(orgs)], lics[i%len(lics)]
			rating := 1500 - float64(i)*2 + rng.NormFloat64()
			lo, hi, v := rating-5, rating+5, 3.2
			votes := int64(1000 + rng.IntN(50000))
			rank := float64(i + 1)
			batch = append(batch, row{&name, &org, &lic, &rating, &lo, &hi, &v, &votes, &rank, &cat, &date})
		}
		if _, err := w.Write(batch); err != nil {
			fail(err)
		}
	}
	if err := w.Close(); err != nil {
		fail(err)
	}
	if err := f.Close(); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "hfparquet:", err)
	os.Exit(1)
}
