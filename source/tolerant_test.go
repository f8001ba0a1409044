package source

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// mutateJSON returns body with every object member named key, at any
// depth, passed through change: change returns the new value and whether
// to keep the member (false removes it). Numbers keep their text. It
// reports how many members it changed, so a test cannot pass by changing
// nothing.
func mutateJSON(t testing.TB, body []byte, key string, change func(v any) (any, bool)) ([]byte, int) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("mutateJSON: %v", err)
	}
	n := 0
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if old, ok := x[key]; ok {
				n++
				if nv, keep := change(old); keep {
					x[key] = nv
				} else {
					delete(x, key)
				}
			}
			for k, c := range x {
				if k != key {
					walk(c)
				}
			}
		case []any:
			for _, c := range x {
				walk(c)
			}
		}
	}
	walk(doc)
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		t.Fatal(err)
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), n
}

// drop removes a member (for mutateJSON).
func drop(any) (any, bool) { return nil, false }

// retype gives a member a value of another JSON type: an object becomes a
// string, anything else an object (for mutateJSON).
func retype(v any) (any, bool) {
	if _, isObj := v.(map[string]any); isObj {
		return "changed to a string", true
	}
	return map[string]any{"changed": []any{"to", "an", "object"}}, true
}

// tolerance is one source's contract with the live site: the fields its
// answer needs and the fields it reads only to ignore or keep as extras.
// checkTolerance changes each ignored field (removed, then retyped) and
// expects the same rows; it removes each needed field and expects an
// error that names it.
type tolerance struct {
	body    []byte                         // a real-shaped response
	extract func(body []byte) (int, error) // rows read from a variant of body
	needed  []string                       // member names whose loss must fail the board
	ignored []string                       // member names whose change must not
}

func checkTolerance(t *testing.T, tc tolerance) {
	t.Helper()
	want, err := tc.extract(tc.body)
	if err != nil {
		t.Fatalf("the unchanged body fails: %v", err)
	}
	for _, f := range tc.ignored {
		for name, change := range map[string]func(any) (any, bool){"removed": drop, "retyped": retype} {
			body, n := mutateJSON(t, tc.body, f, change)
			if n == 0 {
				t.Errorf("ignored field %q: not in the body (stale list?)", f)
				continue
			}
			got, err := tc.extract(body)
			if err != nil {
				t.Errorf("ignored field %q %s: the board fails: %v", f, name, err)
			} else if got != want {
				t.Errorf("ignored field %q %s: %d rows, want %d", f, name, got, want)
			}
		}
	}
	for _, f := range tc.needed {
		body, n := mutateJSON(t, tc.body, f, drop)
		if n == 0 {
			t.Errorf("needed field %q: not in the body (stale list?)", f)
			continue
		}
		_, err := tc.extract(body)
		if err == nil {
			t.Errorf("needed field %q removed: the board still stores", f)
		} else if !strings.Contains(err.Error(), f) {
			t.Errorf("needed field %q removed: the error does not name it: %v", f, err)
		}
	}
}
