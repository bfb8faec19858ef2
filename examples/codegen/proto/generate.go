package customerpb

//go:generate go run ../internal/protoc customer.proto
//go:generate go tool protoc-go-inject-tag -input=customer.pb.go
