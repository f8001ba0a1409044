package longform

import (
	"testing"
	"time"
)

func TestNumber(t *testing.T) {
	tests := []struct {
		name, in string
		want     float64
		ok, sep  bool
		bad      bool
	}{
		{"Plain", "1287", 1287, true, false, false},
		{"Decimal", "1287.5", 1287.5, true, false, false},
		{"Thousands", "12,345", 12345, true, true, false},
		{"Millions", "1,234,567.5", 1234567.5, true, true, false},
		{"Spaced", " 62,764 ", 62764, true, true, false},
		{"NoBreakSpace", "62\u00a0764", 62764, true, true, false},
		{"Percent", "77.47%", 77.47, true, false, false},
		{"Empty", "", 0, false, false, false},
		{"NA", "N/A", 0, false, false, false},
		{"DecimalComma", "1,5", 0, false, false, true},
		{"BadGroups", "12,34,567", 0, false, false, true},
		{"Underscore", "1_000", 0, false, false, true},
		{"Hex", "0x10", 0, false, false, true},
		{"Inf", "Inf", 0, false, false, true},
		{"NaN", "NaN", 0, false, false, true},
		{"Word", "twelve", 0, false, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, ok, sep, err := number(tt.in)
			if (err != nil) != tt.bad || v != tt.want || ok != tt.ok || sep != tt.sep {
				t.Fatalf("number(%q) = %v, %v, %v, %v; want %v, %v, %v, error %v", tt.in, v, ok, sep, err, tt.want, tt.ok, tt.sep, tt.bad)
			}
		})
	}
}

func TestParseCI(t *testing.T) {
	tests := []struct {
		name, in    string
		plus, minus float64
		form        ciForm
		bad         bool
	}{
		{"PlusMinus", "±6", 6, 6, ciPlusMinus, false},
		{"PlusSlashMinus", "+/-6", 6, 6, ciPlusMinus, false},
		{"Symmetric", "+6/-6", 6, 6, ciSymmetric, false},
		{"Asymmetric", "+6/-7", 6, 7, ciAsymmetric, false},
		{"LowerFirst", "-6/+7", 7, 6, ciAsymmetric, false},
		{"Spaces", "+5 / -6", 5, 6, ciAsymmetric, false},
		{"Bare", "4", 4, 4, ciBare, false},
		{"Empty", "", 0, 0, ciNone, false},
		{"Dash", "-", 0, 0, ciNone, false},
		{"Range", "1280-1290", 0, 0, ciNone, true},
		{"BothPlus", "+6/+7", 0, 0, ciNone, true},
		{"Negative", "-6", 0, 0, ciNone, true},
		{"Word", "wide", 0, 0, ciNone, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plus, minus, form, err := parseCI(tt.in)
			if (err != nil) != tt.bad || plus != tt.plus || minus != tt.minus || form != tt.form {
				t.Fatalf("parseCI(%q) = +%v -%v form %d err %v; want +%v -%v form %d, error %v",
					tt.in, plus, minus, form, err, tt.plus, tt.minus, tt.form, tt.bad)
			}
		})
	}
}

func TestParseDate(t *testing.T) {
	day := time.Date(2024, 6, 19, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name, in string
		want     time.Time
		bad      bool
	}{
		{"Date", "2024-06-19", day, false},
		{"Slashes", "2024/06/19", day, false},
		{"Compact", "20240619", day, false},
		{"RFC3339", "2024-06-19T17:00:00+02:00", day.Add(15 * time.Hour), false},
		{"NoZone", "2024-06-19 15:00:00", day.Add(15 * time.Hour), false},
		{"Month13", "2024-13-01", time.Time{}, true},
		{"Before1970", "1969-12-31", time.Time{}, true},
		{"Words", "June 19", time.Time{}, true},
		{"Empty", " ", time.Time{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseDate(tt.in)
			if (err != nil) != tt.bad || !got.Equal(tt.want) || got.Location() != time.UTC {
				t.Fatalf("parseDate(%q) = %v, %v; want %v, error %v", tt.in, got, err, tt.want, tt.bad)
			}
		})
	}
}
