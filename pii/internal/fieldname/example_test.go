package fieldname_test

import (
	"fmt"

	"github.com/gdprkit/gdprkit/pii/internal/fieldname"
)

func ExampleLooksPersonal() {
	for _, name := range []string{"Email", "BillingAddress", "DateOfBirth", "ClientIP", "FileName", "ServerIP", "EmailTemplate"} {
		if reason, ok := fieldname.LooksPersonal(name); ok {
			fmt.Printf("%s: personal (%s)\n", name, reason)
		} else {
			fmt.Printf("%s: not personal\n", name)
		}
	}
	// Output:
	// Email: personal (email)
	// BillingAddress: personal (billing address)
	// DateOfBirth: personal (birth)
	// ClientIP: personal (client ip)
	// FileName: not personal
	// ServerIP: not personal
	// EmailTemplate: not personal
}

func ExampleCategory() {
	reason, _ := fieldname.LooksPersonal("ZipCode")
	fmt.Printf("pii:%q\n", fieldname.Category(reason))
	// Output: pii:"postal_code"
}
