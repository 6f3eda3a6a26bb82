package main

import (
	"fmt"
	"os"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Println("usage: gavel-report FILE")
		os.Exit(2)
	}
	fmt.Printf("report for %s\n", os.Args[1])
}
