package openapi

//go:generate go tool oapi-codegen -config config.yaml customer.yaml
