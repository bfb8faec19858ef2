// Command webapp is a newsletter shop that uses gdprkit, served on
// localhost:
//
//	go run ./examples/webapp
//
// It keeps its data in SQLite in a temporary directory, removed when it
// stops, and prints the URL to open. A visitor signs up with or without
// consent to the newsletter; a campaign mails only those the Guard allows;
// every mail has an unsubscribe link; the privacy center (package
// gdprhttp) is mounted at /privacy/, where a subscriber gets a copy of
// their data, erases it or changes their consents; a retention sweep
// erases subscribers inactive beyond the newsletter's retention. Mails go
// to the outbox page (/outbox) instead of the Internet: it stands in for
// the subscriber's mailbox while you try the shop.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"time"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "the address to serve on")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, *addr, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "webapp:", err)
		os.Exit(1)
	}
}

// run serves the shop on addr until ctx ends.
func run(ctx context.Context, addr string, out io.Writer) error {
	dir, err := os.MkdirTemp("", "gdprkit-webapp-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	a, err := open(ctx, dir, time.Now)
	if err != nil {
		return err
	}
	defer a.close()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: a.handler(), ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(out, "newsletter shop on http://%s/ (the privacy center is at /privacy/, mails at /outbox); Ctrl-C stops it\n", ln.Addr())
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
