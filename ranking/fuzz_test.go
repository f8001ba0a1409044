package ranking

import (
	"testing"

	"github.com/arenawatch/arenawatch"
)

// FuzzClassify checks that Classify never panics and that every Class keeps
// its invariants. Seeds live in testdata/fuzz/FuzzClassify.
func FuzzClassify(f *testing.F) {
	f.Add("gpt-oss-120b", "", "", false, "Apache 2.0", true, int8(0))
	c := Embedded()
	f.Fuzz(func(t *testing.T, model, name, org string, hasOrg bool, license string, hasLicense bool, flag int8) {
		r := arenawatch.Row{Model: model, Name: name}
		if hasOrg {
			r.Organization = &org
		}
		if hasLicense {
			r.License = &license
		}
		switch flag % 3 {
		case 1:
			r.Open = arenawatch.Bool(false)
		case 2:
			r.Open = arenawatch.Bool(true)
		}
		cl := c.Classify(r)
		if (cl.Country == "") != (cl.Org == "") {
			t.Errorf("country %q with org %q", cl.Country, cl.Org)
		}
		if cl.Country != "" && !isoCode.MatchString(cl.Country) {
			t.Errorf("country %q is not an ISO code", cl.Country)
		}
		if (cl.OrgBasis == "") != (cl.Org == "") {
			t.Errorf("org basis %q with org %q", cl.OrgBasis, cl.Org)
		}
		switch cl.Open {
		case Open, Closed, Unknown:
		default:
			t.Fatalf("openness %q", cl.Open)
		}
		if (cl.OpenBasis == "") != (cl.Open == Unknown) {
			t.Errorf("open basis %q with openness %s", cl.OpenBasis, cl.Open)
		}
		if (cl.Tier == TierClosed) != (cl.Open == Closed) || (cl.Open == Unknown && cl.Tier != "") {
			t.Errorf("tier %q with openness %s", cl.Tier, cl.Open)
		}
		if r.Open != nil && cl.OpenBasis != BasisSourceFlag && c.matchRule(r, func(m *modelRule) bool { return m.open != nil }) == nil {
			t.Errorf("source flag ignored: basis %q", cl.OpenBasis)
		}
	})
}
