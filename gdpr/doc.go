// Package gdpr makes a service ask before it processes personal data, and
// keeps the answers it can prove later.
//
// TODO
package gdpr
