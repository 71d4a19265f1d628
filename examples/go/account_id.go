// An AccountID for the Go types that quicktype generates from the trtc-live-webhooks schemas.
//
// quicktype types an account id (a JSON string, or an integer up to 18446744073709551615) as
// a struct whose Integer is an *int64, which refuses every id beyond 9223372036854775807.
// Generate with --multi-file-output, delete the generated AccountID.go and put this file in
// its place (see docs/generators.md): the other generated files use AccountID unchanged.
package webhooks

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
)

// AccountID is a user (UserID) as Tencent sends it: a JSON string, or a non-negative integer
// up to 18446744073709551615 (u64). The form received is kept, and every digit: an integer
// is never read through a float64.
type AccountID struct {
	Integer *uint64
	String  *string
}

// UnmarshalJSON reads a string, or an integer from 0 to 18446744073709551615.
func (x *AccountID) UnmarshalJSON(data []byte) error {
	x.Integer, x.String = nil, nil
	data = bytes.TrimSpace(data)
	if len(data) > 0 && data[0] == '"' {
		var text string
		if err := json.Unmarshal(data, &text); err != nil {
			return err
		}
		x.String = &text
		return nil
	}
	number, err := strconv.ParseUint(string(data), 10, 64)
	if err != nil {
		return fmt.Errorf("an account id is a string or an integer from 0 to 18446744073709551615, not %s", data)
	}
	x.Integer = &number
	return nil
}

// MarshalJSON writes the account id in the form it was received.
func (x *AccountID) MarshalJSON() ([]byte, error) {
	switch {
	case x.Integer != nil:
		return []byte(strconv.FormatUint(*x.Integer, 10)), nil
	case x.String != nil:
		return json.Marshal(*x.String)
	default:
		return []byte("null"), nil
	}
}
