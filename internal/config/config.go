// Package config holds SIT's typed configuration: parsed once from flags and
// environment by cmd/sit, then passed down. Nothing reads flags or the
// environment after start-up.
package config

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Global are the settings every command shares.
type Global struct {
	// DatabaseURL of an existing PostGIS database, logging in as SIT's
	// owner role (migrations, imports); empty means the managed cluster.
	DatabaseURL string
	// ReaderURL logs in as the read-only role `sit serve` uses; empty means
	// the managed cluster's reader.
	ReaderURL string
	// DataDir is where the managed cluster lives (default ./.sit/pg).
	DataDir  string
	LogLevel string
}

// DefaultDataDir is the managed cluster's directory unless --data-dir or
// SIT_DATA_DIR says otherwise.
const DefaultDataDir = ".sit/pg"

// FromEnv returns the defaults taken from the environment.
func FromEnv() Global {
	g := Global{DatabaseURL: os.Getenv("DATABASE_URL"), ReaderURL: os.Getenv("SIT_READER_URL"), DataDir: os.Getenv("SIT_DATA_DIR"), LogLevel: "info"}
	if g.DataDir == "" {
		g.DataDir = DefaultDataDir
	}
	return g
}

// Server configures `sit serve`.
type Server struct {
	Addr string
	// PublicURL is the externally visible base URL (links in responses);
	// empty means derive from each request's Host.
	PublicURL string
	// RequestTimeout bounds every request; StatementTimeout every SQL statement.
	RequestTimeout   time.Duration
	StatementTimeout time.Duration
	// MaxConns of the read pool.
	MaxConns int32
	// DefaultLimit and MaxLimit of feature pages.
	DefaultLimit int
	MaxLimit     int
	// TileCacheBytes bounds the in-process tile cache; TileCacheControl is
	// the Cache-Control header of tiles.
	TileCacheBytes   int64
	TileCacheControl string
	// TileConcurrency bounds the tile statements running at once
	// (0: 4 × the CPUs); the rest wait, which on few cores is faster.
	TileConcurrency int
	// PMTilesDir holds archives served under /pmtiles/.
	PMTilesDir string
	// Basemap is an optional raster/vector source URL for the viewer.
	Basemap string
	// Comune is the name shown in reports' headers.
	Comune string
	// SliverMinAreaM2 and SliverMinPct: in a zoning report, the pieces of a
	// zone or constraint smaller than either are border effects, listed apart.
	SliverMinAreaM2 float64
	SliverMinPct    float64
	// MaxReportParcels bounds the parcels of one zoning report.
	MaxReportParcels int
	// Migrate applies pending migrations at start, with the owner's
	// credentials, which are then closed. Without it the server holds
	// only the reader's.
	Migrate bool
	Limits
}

// Limits bound what one client can hold of the server: time to send its
// request, to read the answer, its size, its share of the server, and how
// long a shutdown waits for it.
type Limits struct {
	// ReadHeaderTimeout bounds the time to send the request line and headers.
	ReadHeaderTimeout time.Duration
	// ReadTimeout bounds the time to send a request body.
	ReadTimeout time.Duration
	// WriteTimeout bounds each write of a response: a client that stops
	// reading is cut off after it (responses go out in writes of at most
	// 64 KiB).
	WriteTimeout time.Duration
	// IdleTimeout closes a kept-alive connection left idle.
	IdleTimeout time.Duration
	// MaxHeaderBytes bounds the request line and headers (431 past it).
	MaxHeaderBytes int
	// MaxBodyBytes bounds a request body (413 past it).
	MaxBodyBytes int64
	// MaxRequestsPerIP bounds the requests one client address has in
	// progress on the data routes (429 past it); 0 means no bound (behind
	// a proxy every client has the proxy's address).
	MaxRequestsPerIP int
	// ShutdownGrace is how long SIGTERM waits for requests in progress
	// before it cancels them.
	ShutdownGrace time.Duration
	// LargePages bounds the feature pages of more than 1 000 features
	// produced at once (0: one per CPU); the others wait their turn.
	LargePages int
}

// NeedsOwner reports whether the server must log in as the owner: only to
// migrate (accepting uploads will be the other reason).
func (s Server) NeedsOwner() bool { return s.Migrate }

// DefaultServer returns the server defaults.
func DefaultServer() Server {
	return Server{
		Addr:             "127.0.0.1:8080",
		RequestTimeout:   60 * time.Second,
		StatementTimeout: 30 * time.Second,
		MaxConns:         32,
		DefaultLimit:     10,
		MaxLimit:         10000,
		TileCacheBytes:   256 << 20,
		TileCacheControl: "public, max-age=60",
		Comune:           "Comune di Lucca",
		SliverMinAreaM2:  1,
		SliverMinPct:     0.1,
		MaxReportParcels: 20,
		Limits: Limits{
			ReadHeaderTimeout: 10 * time.Second,
			ReadTimeout:       30 * time.Second,
			WriteTimeout:      30 * time.Second,
			IdleTimeout:       120 * time.Second,
			MaxHeaderBytes:    256 << 10,
			MaxBodyBytes:      1 << 20,
			ShutdownGrace:     10 * time.Second,
		},
	}
}

// Validate checks the settings that flags cannot check by type.
func (s Server) Validate() error {
	if s.RequestTimeout <= 0 || s.StatementTimeout <= 0 {
		return fmt.Errorf("timeouts must be positive")
	}
	if s.StatementTimeout > s.RequestTimeout {
		return fmt.Errorf("--statement-timeout (%s) must not exceed --request-timeout (%s)", s.StatementTimeout, s.RequestTimeout)
	}
	if s.DefaultLimit < 1 || s.MaxLimit < s.DefaultLimit {
		return fmt.Errorf("limits: need 1 <= default limit (%d) <= max limit (%d)", s.DefaultLimit, s.MaxLimit)
	}
	if s.SliverMinAreaM2 < 0 || s.SliverMinPct < 0 || s.SliverMinPct >= 100 {
		return fmt.Errorf("--sliver-min-area (%g) and --sliver-min-pct (%g) must be >= 0, the percentage below 100", s.SliverMinAreaM2, s.SliverMinPct)
	}
	if s.MaxReportParcels < 0 {
		return fmt.Errorf("--max-report-parcels must not be negative")
	}
	if err := s.Limits.validate(); err != nil {
		return err
	}
	if s.MaxConns < 2 {
		return fmt.Errorf("--max-conns must be at least 2")
	}
	if s.PMTilesDir != "" && !strings.HasPrefix(s.PMTilesDir, "s3://") { // a bucket is checked when opened
		abs, err := filepath.Abs(s.PMTilesDir)
		if err != nil {
			return err
		}
		if st, err := os.Stat(abs); err != nil || !st.IsDir() {
			return fmt.Errorf("--pmtiles-dir %s is not a directory", s.PMTilesDir)
		}
	}
	return nil
}

func (l Limits) validate() error {
	for _, d := range []struct {
		flag string
		v    time.Duration
	}{{"--read-header-timeout", l.ReadHeaderTimeout}, {"--read-timeout", l.ReadTimeout}, {"--write-timeout", l.WriteTimeout},
		{"--idle-timeout", l.IdleTimeout}, {"--shutdown-grace", l.ShutdownGrace}} {
		if d.v <= 0 {
			return fmt.Errorf("%s must be positive, got %s", d.flag, d.v)
		}
	}
	if l.MaxHeaderBytes < 4096 {
		return fmt.Errorf("--max-header-bytes must be at least 4096, got %d", l.MaxHeaderBytes)
	}
	if l.MaxBodyBytes < 1024 {
		return fmt.Errorf("--max-body-bytes must be at least 1024, got %d", l.MaxBodyBytes)
	}
	if l.LargePages < 0 {
		return fmt.Errorf("--large-pages must not be negative")
	}
	if l.MaxRequestsPerIP < 0 {
		return fmt.Errorf("--max-requests-per-ip must not be negative")
	}
	return nil
}
