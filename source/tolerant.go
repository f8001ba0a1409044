package source

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
)

// jsonObject is one JSON object decoded one level deep: every member is
// kept raw and decoded only when an extractor asks for it. This is the
// tolerant reader that every JSON source uses: a field arenawatch never
// asks for may change type, disappear or be renamed without failing a
// board, while a field the answer needs fails loudly, by its path.
//
// Needed fields are read with need* (missing, null or the wrong type is an
// error naming the field); optional ones with opt* (missing or null is
// "absent", the wrong type is an error only where the extractor chooses to
// report it). at names the object in messages ("data[3]").
type jsonObject struct {
	at      string
	members map[string]json.RawMessage
}

// decodeObject decodes raw as a JSON object; at names it in errors.
func decodeObject(raw []byte, at string) (jsonObject, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil || m == nil {
		return jsonObject{}, driftf("%s: not a JSON object (starts %q)", at, head(bytes.TrimSpace(raw), 40))
	}
	return jsonObject{at: at, members: m}, nil
}

// decodeArray decodes raw as a JSON array of raw members; at names it.
func decodeArray(raw []byte, at string) ([]json.RawMessage, error) {
	var a []json.RawMessage
	if err := json.Unmarshal(raw, &a); err != nil || a == nil {
		return nil, driftf("%s: not a JSON array (starts %q)", at, head(bytes.TrimSpace(raw), 40))
	}
	return a, nil
}

// path names member name of the object in messages.
func (o jsonObject) path(name string) string {
	if o.at == "" {
		return name
	}
	return o.at + "." + name
}

// raw returns a member's bytes, or nil when it is missing or null.
func (o jsonObject) raw(name string) json.RawMessage {
	v := o.members[name]
	if len(v) == 0 || string(v) == "null" {
		return nil
	}
	return v
}

// has reports whether the member is present and not null.
func (o jsonObject) has(name string) bool { return o.raw(name) != nil }

// object returns a member that is itself an object, decoded one level;
// ok is false when it is missing or null.
func (o jsonObject) object(name string) (jsonObject, bool, error) {
	v := o.raw(name)
	if v == nil {
		return jsonObject{}, false, nil
	}
	obj, err := decodeObject(v, o.path(name))
	return obj, err == nil, err
}

// str reads an optional string member. Missing or null gives ok=false; a
// value of another type is an error naming the field.
func (o jsonObject) str(name string) (s string, ok bool, err error) {
	v := o.raw(name)
	if v == nil {
		return "", false, nil
	}
	if err := json.Unmarshal(v, &s); err != nil {
		return "", false, driftf("%s: want a string, got %s", o.path(name), head(v, 40))
	}
	return s, true, nil
}

// num reads an optional number member, accepting a string that holds a
// number ("1234.5") as sources sometimes send. Missing or null gives
// ok=false; anything else that is not a finite number is an error naming
// the field.
func (o jsonObject) num(name string) (f float64, ok bool, err error) {
	v := o.raw(name)
	if v == nil {
		return 0, false, nil
	}
	if err := json.Unmarshal(v, &f); err != nil {
		var s string
		if json.Unmarshal(v, &s) != nil {
			return 0, false, driftf("%s: want a number, got %s", o.path(name), head(v, 40))
		}
		if f, err = strconv.ParseFloat(s, 64); err != nil {
			return 0, false, driftf("%s: want a number, got %s", o.path(name), head(v, 40))
		}
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false, driftf("%s: %v is not a finite number", o.path(name), f)
	}
	return f, true, nil
}

// boolean reads an optional true/false member (also "true"/"false" as
// strings). Missing or null gives nil.
func (o jsonObject) boolean(name string) (*bool, error) {
	v := o.raw(name)
	if v == nil {
		return nil, nil
	}
	var b bool
	if err := json.Unmarshal(v, &b); err == nil {
		return &b, nil
	}
	var s string
	if json.Unmarshal(v, &s) == nil {
		if b, err := strconv.ParseBool(s); err == nil {
			return &b, nil
		}
	}
	return nil, driftf("%s: want true or false, got %s", o.path(name), head(v, 40))
}

// needStr reads a string the answer needs: missing, null, empty or the
// wrong type is an error naming the field.
func (o jsonObject) needStr(name string) (string, error) {
	s, ok, err := o.str(name)
	if err != nil {
		return "", err
	}
	if !ok || s == "" {
		return "", driftf("%s: missing (a field the answer needs)", o.path(name))
	}
	return s, nil
}

// needNum reads a number the answer needs: missing, null or not a finite
// number is an error naming the field.
func (o jsonObject) needNum(name string) (float64, error) {
	f, ok, err := o.num(name)
	if err != nil {
		return 0, err
	}
	if !ok {
		return 0, driftf("%s: missing (a field the answer needs)", o.path(name))
	}
	return f, nil
}

// optNum reads a number the answer does not need: when it is missing or
// malformed it is simply absent, and a malformed value is counted in
// *bad (when bad is not nil) so the extractor can say so in a note.
func (o jsonObject) optNum(name string, bad *int) (float64, bool) {
	f, ok, err := o.num(name)
	if err != nil && bad != nil {
		*bad++
	}
	return f, ok && err == nil
}

// optStr reads a text the answer does not need; a malformed value is
// absent, counted in *bad when bad is not nil.
func (o jsonObject) optStr(name string, bad *int) (string, bool) {
	s, ok, err := o.str(name)
	if err != nil && bad != nil {
		*bad++
	}
	return s, ok && err == nil
}

// badFieldsNote is the note an extractor adds when optional fields were
// dropped because their values were malformed.
func badFieldsNote(n int) string {
	return fmt.Sprintf("%d optional values ignored: present but not of the expected type", n)
}
