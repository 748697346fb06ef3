// Package outagetest simulates database outages for tests: a TCP proxy in
// front of PostgreSQL that drops every connection and refuses new ones,
// then comes back on the same port.
package outagetest

import (
	"fmt"
	"io"
	"net"
	"net/url"
	"sync"
	"testing"
)

// Proxy forwards TCP connections to a PostgreSQL server and can drop
// them all and refuse new ones, then come back on the same port: a
// database outage as the server sees it (refused connections, sockets
// closed mid-query), for tests in this and other packages.
type Proxy struct {
	t      testing.TB
	target string // host:port of PostgreSQL
	addr   string // host:port of the proxy
	rawURL string

	mu    sync.Mutex
	ln    net.Listener
	conns map[net.Conn]bool
}

// New starts a proxy in front of the database of dbURL.
func New(t testing.TB, dbURL string) *Proxy {
	t.Helper()
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatalf("proxy: %v", err)
	}
	p := &Proxy{t: t, target: u.Host, conns: map[net.Conn]bool{}}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("proxy: %v", err)
	}
	p.addr = ln.Addr().String()
	u.Host = p.addr
	p.rawURL = u.String()
	p.serve(ln)
	t.Cleanup(p.Stop)
	return p
}

// URL is the database URL through the proxy.
func (p *Proxy) URL() string { return p.rawURL }

// Stop closes the listener and every forwarded connection.
func (p *Proxy) Stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		_ = p.ln.Close()
		p.ln = nil
	}
	for c := range p.conns {
		_ = c.Close()
	}
	p.conns = map[net.Conn]bool{}
}

// Start listens again on the same address.
func (p *Proxy) Start() {
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		p.t.Fatalf("proxy: listen again on %s: %v", p.addr, err)
	}
	p.serve(ln)
}

func (p *Proxy) serve(ln net.Listener) {
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go p.forward(c)
		}
	}()
}

func (p *Proxy) forward(c net.Conn) {
	up, err := net.Dial("tcp", p.target)
	if err != nil {
		_ = c.Close()
		return
	}
	p.mu.Lock()
	if p.ln == nil {
		p.mu.Unlock()
		_ = c.Close()
		_ = up.Close()
		return
	}
	p.conns[c], p.conns[up] = true, true
	p.mu.Unlock()
	go func() { _, _ = io.Copy(up, c); _ = up.Close() }()
	_, _ = io.Copy(c, up)
	_ = c.Close()
}

func (p *Proxy) String() string { return fmt.Sprintf("proxy %s → %s", p.addr, p.target) }
