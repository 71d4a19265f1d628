// Reads an End Battle packet from standard input with the Go types quicktype generates from
// dist/trtc-live-webhooks.schema.json (package webhooks, next to this file), prints each room
// owner's account id as JSON, then the packet written again. Run by tests/tests/generators.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	"trtclivegenerated/webhooks"
)

func main() {
	data, err := io.ReadAll(os.Stdin)
	if err != nil {
		fail(err)
	}
	battle, err := webhooks.UnmarshalLiveCallbackAfterEndBattle(data)
	if err != nil {
		fail(err)
	}
	owners := []*webhooks.AccountID{battle.FromRoomInfo.OwnerAccount}
	for _, room := range battle.ToRoomList {
		owners = append(owners, room.OwnerAccount)
	}
	for _, owner := range owners {
		text, err := json.Marshal(owner)
		if err != nil {
			fail(err)
		}
		fmt.Println(string(text))
	}
	again, err := battle.Marshal()
	if err != nil {
		fail(err)
	}
	fmt.Println(string(again))
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "error:", err)
	os.Exit(1)
}
