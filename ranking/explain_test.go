package ranking

import "testing"

func TestLookupOrg(t *testing.T) {
	c := Embedded()
	tests := []struct {
		text, org, country string
		notDev, unknown    bool
	}{
		{"Zhipu AI", "Z.ai", "CN", false, false},
		{"moonshot_legacy", "Moonshot AI", "CN", false, false},
		{"openrouter", "", "", true, false},
		{"googleVertexAnthropic", "", "", true, false},
		{"Novalabs Europe", "", "", false, false},
		{"", "", "", false, false},
	}
	for _, tt := range tests {
		m := c.LookupOrg(tt.text)
		if m.Org != tt.org || m.Country != tt.country || m.NotDeveloper != tt.notDev || m.DeliberatelyUnknown != tt.unknown || m.Known() != (tt.org != "") {
			t.Errorf("LookupOrg(%q) = %+v", tt.text, m)
		}
	}
}

func TestExplain(t *testing.T) {
	c := Embedded()
	ex := c.Explain("qwen3.8-max")
	if ex.OpenRule == nil || *ex.OpenRule.Open || ex.OpenRule.Reason == "" || ex.Family != "qwen3-max" || ex.BrandOrg != "Alibaba" || ex.Brand != "qwen" {
		t.Errorf("Explain(qwen3.8-max) = %+v (rule %+v)", ex, ex.OpenRule)
	}
	ex = c.Explain("athene-v2-chat")
	if ex.LineageRule == nil || ex.LineageRule.Base != "Qwen2.5-72B" || ex.LineageRule.BaseOrg != "Alibaba" || ex.OpenRule != nil {
		t.Errorf("Explain(athene-v2-chat) = %+v", ex)
	}
	if ex := c.Explain("phind-codellama"); ex.Brand != "" || ex.BrandOrg != "" {
		t.Errorf("phind matched a brand: %+v", ex)
	}
}
