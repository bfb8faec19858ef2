package gdpr_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/gdprkit/gdprkit/consent"
	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/pii"
)

// Example declares a purpose per lawful basis, asks the Guard before
// processing, and shows an objection to direct marketing taking effect at
// once.
func Example() {
	ctx := context.Background()
	now := func() time.Time { return time.Date(2025, 3, 10, 9, 0, 0, 0, time.UTC) }

	customers := []string{"customers"}
	contact := []pii.Category{pii.Email, pii.Name}
	register, err := gdpr.NewRegister(gdpr.RegisterConfig{
		Controller: gdpr.Party{Name: "Example Shop GmbH", Contact: "privacy@shop.example"},
	},
		gdpr.Purpose{ID: "newsletter", Name: "Newsletter", Basis: gdpr.Consent, DirectMarketing: true,
			Categories: contact, DataSubjects: customers, Retention: "P2Y"},
		gdpr.Purpose{ID: "orders", Name: "Order handling", Basis: gdpr.Contract,
			Categories: []pii.Category{pii.Name, pii.Address}, DataSubjects: customers, Retention: "P6M"},
		gdpr.Purpose{ID: "invoices", Name: "Bookkeeping", Basis: gdpr.LegalObligation, Storage: true,
			Categories: []pii.Category{pii.Name, pii.Billing}, DataSubjects: customers, Retention: "P10Y"},
		gdpr.Purpose{ID: "recall", Name: "Safety recalls", Basis: gdpr.VitalInterests,
			Categories: contact, DataSubjects: customers, Retention: "P5Y"},
		gdpr.Purpose{ID: "tax-audit", Name: "Answers to the tax office", Basis: gdpr.PublicTask,
			Categories: []pii.Category{pii.Name, pii.Billing}, DataSubjects: customers, Retention: "P1Y"},
		gdpr.Purpose{ID: "fraud", Name: "Fraud prevention", Basis: gdpr.LegitimateInterests, BalancingTest: "LIA-2025-01",
			Categories: []pii.Category{pii.IPAddress, pii.PaymentCard}, DataSubjects: customers, Retention: "P90D"},
	)
	if err != nil {
		fmt.Println(err)
		return
	}

	ledger, _ := consent.New(consent.LedgerConfig{Store: consent.NewMemoryStore(), Now: now})
	store := gdpr.NewMemoryStore()
	guard, err := gdpr.NewGuard(gdpr.GuardConfig{
		Register: register,
		Consent:  ledger,
		Contract: func(ctx context.Context, subject, purpose string) (bool, error) {
			return subject == "alice", nil // look up an active order here
		},
		Objections:   store,
		Restrictions: store,
		Now:          now,
	})
	if err != nil {
		fmt.Println(err)
		return
	}

	_, _ = ledger.Grant(ctx, consent.Act{Subject: "alice", Purposes: []string{"newsletter"}, Notice: "v3", Method: consent.MethodCheckbox})

	for _, purpose := range []string{"newsletter", "orders", "invoices", "recall", "tax-audit", "fraud"} {
		d, _ := guard.Allow(ctx, "alice", purpose)
		fmt.Printf("%-10s allowed=%t %s (%s)\n", purpose, d.Allowed, d.Reason, d.Basis)
	}

	_, err = guard.Allow(ctx, "bob", "newsletter")
	fmt.Println(errors.Is(err, gdpr.ErrNoLawfulBasis), errors.Is(err, gdpr.ErrNoConsent))
	fmt.Println(err)

	_ = guard.Object(ctx, gdpr.Objection{Subject: "alice", Purpose: gdpr.AllDirectMarketing})
	_, err = guard.Allow(ctx, "alice", "newsletter")
	fmt.Println(err)
	// Output:
	// newsletter allowed=true consent-given (consent)
	// orders     allowed=true contract (contract)
	// invoices   allowed=true declared (legal-obligation)
	// recall     allowed=true declared (vital-interests)
	// tax-audit  allowed=true declared (public-task)
	// fraud      allowed=true legitimate-interests (legitimate-interests)
	// true true
	// gdpr: purpose "newsletter" denied: consent never given (lawful basis: Art. 6(1)(a) consent)
	// gdpr: purpose "newsletter" denied: the subject objected to direct marketing under Art. 21(3) (lawful basis: Art. 6(1)(a) consent)
}

// ExampleNewRegister shows an inconsistent purpose refused with the reasons.
func ExampleNewRegister() {
	_, err := gdpr.NewRegister(gdpr.RegisterConfig{Controller: gdpr.Party{Name: "Example Shop GmbH"}},
		gdpr.Purpose{
			ID: "analytics", Name: "Product analytics", Basis: gdpr.LegitimateInterests,
			Categories: []pii.Category{pii.Browsing, pii.Health}, DataSubjects: []string{"users"}, Retention: "P13M",
			Recipients: []gdpr.Recipient{{Name: "Analytics Ltd.", Role: gdpr.Processor, Country: "IN"}},
		})
	fmt.Println(errors.Is(err, gdpr.ErrInvalidPurpose))
	fmt.Println(err)
	// Output:
	// true
	// gdpr: purpose "analytics": Condition: special categories of data (Art. 9) need an Art. 9(2) condition, such as ExplicitConsent
	// gdpr: purpose "analytics": Recipients[0].Safeguard: a transfer to IN, outside the EEA, needs a safeguard: an adequacy decision (Art. 45), standard contractual clauses (Art. 46), binding corporate rules (Art. 47) or an Art. 49 derogation
	// gdpr: purpose "analytics": BalancingTest: legitimate interests (Art. 6(1)(f)) need a reference to the documented balancing test
}

// ExampleRecord_WriteCSV exports the record of processing (Art. 30).
func ExampleRecord_WriteCSV() {
	register, _ := gdpr.NewRegister(gdpr.RegisterConfig{
		Controller:       gdpr.Party{Name: "Example Shop GmbH", Contact: "privacy@shop.example"},
		SecurityMeasures: []string{"encryption at rest"},
	}, gdpr.Purpose{
		ID: "orders", Name: "Order handling", Basis: gdpr.Contract,
		Categories: []pii.Category{pii.Name, pii.Address}, DataSubjects: []string{"customers"}, Retention: "P6M",
		Recipients: []gdpr.Recipient{{Name: "Parcel Co.", Role: gdpr.ThirdParty, Country: "CH", Safeguard: gdpr.Adequacy}},
	})
	_ = register.Record().WriteCSV(os.Stdout)
	// Output:
	// purpose_id,purpose,description,lawful_basis,art9_condition,art10_authority,law,balancing_test,data_subjects,data_categories,recipients,third_country_transfers,retention,retention_criteria,security_measures,direct_marketing,automated_decisions,automated_decision_logic,automated_decision_significance,automated_decision_consequences,children,consent_age,controller,controller_contact,joint_controllers,representative,representative_contact,dpo,dpo_contact
	// orders,Order handling,,Art. 6(1)(b) performance of a contract,,,,,customers,user.name; user.contact.address,"Parcel Co. (third-party, CH)",Parcel Co. (CH): adequacy decision (Art. 45),P6M,,encryption at rest,false,false,,,,false,,Example Shop GmbH,privacy@shop.example,,,,,
}

// ExampleMinimize hands a purpose only the fields it may touch.
func ExampleMinimize() {
	type Customer struct {
		ID    string `pii:"subject"`
		Email string `pii:"email"`
		Phone string `pii:"phone"`
		Plan  string
	}
	register, _ := gdpr.NewRegister(gdpr.RegisterConfig{Controller: gdpr.Party{Name: "Example Shop GmbH"}},
		gdpr.Purpose{ID: "support", Name: "Support", Basis: gdpr.Contract,
			Categories: []pii.Category{pii.Email}, DataSubjects: []string{"customers"}, Retention: "P1Y"})
	store := gdpr.NewMemoryStore()
	guard, _ := gdpr.NewGuard(gdpr.GuardConfig{
		Register: register, Objections: store, Restrictions: store,
		Contract: func(context.Context, string, string) (bool, error) { return true, nil },
	})
	view, err := gdpr.Minimize(guard, "support", Customer{ID: "c-1", Email: "ann@example.com", Phone: "+49 170 1", Plan: "pro"})
	//piicheck:ignore the example shows what the minimised view keeps
	fmt.Printf("%+v %v\n", view, err)
	// Output:
	// {ID:c-1 Email:ann@example.com Phone: Plan:pro} <nil>
}
