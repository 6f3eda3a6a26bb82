package sync

import "github.com/davecgh/go-spew/spew"

// Merge combines two revisions, preferring b on conflict.
func Merge(a, b map[string]string) map[string]string {
	out := make(map[string]string, len(a)+len(b))
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	spew.Dump(out)
	return out
}
