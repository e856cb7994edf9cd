// Prints the case-folding table that dev.modproxy.gomod.zip.CaseFold loads: for every rune
// whose smallest simple-fold equivalent (with A-Z lowered) differs from itself, one line
// "RUNE FOLD" in hex. CaseFoldTest runs this with the installed go and compares.
package main

import (
	"fmt"
	"unicode"
)

func main() {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		f := r
		for {
			prev := f
			f = unicode.SimpleFold(prev)
			if f <= prev {
				break
			}
		}
		if 'A' <= f && f <= 'Z' {
			f += 'a' - 'A'
		}
		if f != r {
			fmt.Printf("%04X %04X\n", r, f)
		}
	}
}
