// Creates a module zip from a directory with golang.org/x/mod/zip and prints its h1 hash, or
// the error with newlines written as "; " (gomod's one-line form of x/mod's FileErrorList).
// Used by XmodZipDifferentialTest; build in GOPATH mode against Debian's golang-golang-x-mod-dev.
// Arguments: module path, version, directory, output zip.
package main

import (
	"fmt"
	"os"
	"strings"

	"golang.org/x/mod/module"
	"golang.org/x/mod/sumdb/dirhash"
	modzip "golang.org/x/mod/zip"
)

func main() {
	out, err := os.Create(os.Args[4])
	if err != nil {
		panic(err)
	}
	err = modzip.CreateFromDir(out, module.Version{Path: os.Args[1], Version: os.Args[2]}, os.Args[3])
	out.Close()
	if err != nil {
		fmt.Println("error: " + strings.ReplaceAll(err.Error(), "\n", "; "))
		return
	}
	h, err := dirhash.HashZip(os.Args[4], dirhash.Hash1)
	if err != nil {
		panic(err)
	}
	fmt.Println(h)
}
