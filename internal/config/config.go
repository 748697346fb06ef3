// Package config holds SIT's typed configuration, parsed once at start-up
// from defaults, a TOML file, the environment and flags (in that order of
// precedence, flags winning) and then passed down. Nothing reads flags or
// the environment after start-up.
//
// The structs below are the one table of settings: each leaf field's tags
// give its file key, flag, environment variable, default, bounds and
// documentation, and flags, environment names, file keys, validation,
// `sit config print` and the example file are all generated from them (see
// settings.go). To add a setting, add a field with its tags; a test refuses
// a leaf field without them.
//
// Tags: key (the file key, section.name; "-" for a field that is not a
// setting), flag (the command-line flag, without dashes; absent: no flag,
// e.g. for a secret, which must not show in the process list), env
// (default: SIT_ and the flag, or the key, in capitals with underscores),
// alias (more environment names read, comma-separated), default (in the
// syntax of a flag), doc, secret ("true": the whole value, "dsn": the
// password of a connection string), min, max, enum (comma-separated) and
// check (a named check: url, hostport, addrs, postgres_url).
package config

import (
	"strings"
	"time"
)

// Config is every setting of sit.
type Config struct {
	Global
	Server Server
	// Publish are the file's [[publish]] tables (file only; not a
	// setting of the table: see publish.go).
	Publish []Publish `key:"-"`
}

// Global are the settings every command shares.
type Global struct {
	// DatabaseURL of an existing PostGIS database, logging in as SIT's
	// owner role (migrations, imports); empty means the managed cluster.
	DatabaseURL string `key:"database.url" flag:"database-url" alias:"DATABASE_URL" secret:"dsn" check:"postgres_url" doc:"PostgreSQL URL of an existing PostGIS database, as SIT's owner role (migrations, imports); empty: the managed cluster"`
	// ReaderURL logs in as the read-only role `sit serve` uses; empty means
	// the managed cluster's reader.
	ReaderURL string `key:"database.reader_url" flag:"reader-url" secret:"dsn" check:"postgres_url" doc:"URL of the same database as the read-only role sit serve uses; empty: the managed cluster's"`
	// WebURL logs in as the role `sit serve` writes accounts, sessions,
	// tokens and the audit log with; empty means the managed cluster's
	// (or, with --reader-url, no accounts at all).
	WebURL string `key:"database.web_url" flag:"web-url" secret:"dsn" check:"postgres_url" doc:"URL of the same database as the role sit serve writes accounts, sessions and the audit log with (sit_web); empty: the managed cluster's, or no accounts with database.reader_url"`
	// ReplicaURLs are streaming replicas of the same database, as the
	// read-only role: sit serve sends reads there (the primary is the
	// fallback) once they have replayed the catalog in use.
	ReplicaURLs []string `key:"database.replica_urls" flag:"replica-url" secret:"dsn" check:"postgres_url" doc:"sit serve: URL of a streaming replica (hot standby) of the database, as the read-only role; repeat the flag (or separate with commas) for several: reads go to replicas that are up and have replayed the catalog in use, else to the primary"`
	// ReplicaMaxLag bounds how long a catalog change waits for the
	// replicas to replay it; those still behind then get no reads until
	// they have. At most 5m: readers keep the older snapshot meanwhile, and
	// an old version's table is kept only 10 minutes after it is replaced
	// (layers.DefaultRetention).
	ReplicaMaxLag time.Duration `key:"database.replica_max_lag" flag:"replica-max-lag" default:"30s" min:"0s" max:"5m" doc:"sit serve: how long a new layer version waits for every replica to replay it before the server switches to it anyway (the replicas still behind then get no reads until they have)"`
	// DataDir is where the managed cluster lives.
	DataDir string `key:"database.data_dir" flag:"data-dir" default:".sit/pg" doc:"directory of the managed PostgreSQL cluster (cluster.json, the data); relative to the current directory"`
	Log     Log
	History History
}

// History is the retention of the layers' past versions, which questions
// about a past date (at=, datetime) read. Versions an issued certificate
// recorded are always kept.
type History struct {
	KeepVersions int `key:"history.keep_versions" flag:"history-keep-versions" default:"5" min:"2" max:"100000" doc:"keep at least this many versions of each layer (the current one included)"`
	KeepDays     int `key:"history.keep_days" flag:"history-keep-days" default:"0" min:"0" max:"36500" doc:"also keep every version replaced less than this many days ago (0: by number only)"`
}

// Log configures the log: one format for every line, on standard error.
type Log struct {
	Level  string `key:"log.level" flag:"log-level" default:"info" enum:"debug,info,warn,error" doc:"lowest level logged"`
	Format string `key:"log.format" flag:"log-format" default:"text" enum:"text,json" doc:"text (key=value) or json (one object per line)"`
	// Access logs one line per HTTP request (sit serve), whatever Level.
	Access bool `key:"log.access" flag:"access-log" default:"true" doc:"sit serve: log one line per request (method, path, status, bytes, duration, client); secrets in query strings masked"`
}

// DefaultDataDir is the managed cluster's directory unless --data-dir or
// SIT_DATA_DIR says otherwise.
const DefaultDataDir = ".sit/pg"

// Server configures `sit serve` (and the server of `sit demo`).
type Server struct {
	Addr string `key:"server.addr" flag:"addr" default:"127.0.0.1:8080" check:"hostport" doc:"listen address (host:port; port 0 picks a free one)"`
	// PublicURL is the externally visible base URL (links in responses);
	// empty means derive from each request's Host.
	PublicURL string `key:"server.public_url" flag:"public-url" check:"url" doc:"external base URL used in links, e.g. https://sit.comune.lucca.it (default: from each request, see server.trusted_proxies)"`
	// TrustedProxies are the addresses whose X-Forwarded-For, -Proto and
	// -Host headers are believed; from anyone else they are dropped.
	TrustedProxies []string `key:"server.trusted_proxies" flag:"trusted-proxies" check:"addrs" doc:"addresses or CIDR ranges of reverse proxies whose X-Forwarded-For/-Proto/-Host headers are believed (e.g. 127.0.0.1,::1); from others they are ignored"`
	// RequestTimeout bounds every request; StatementTimeout every SQL statement.
	RequestTimeout   time.Duration `key:"server.request_timeout" flag:"request-timeout" default:"60s" min:"1ms" doc:"deadline of every request"`
	StatementTimeout time.Duration `key:"server.statement_timeout" flag:"statement-timeout" default:"30s" min:"1ms" doc:"PostgreSQL statement_timeout of every query (at most server.request_timeout)"`
	// MaxConns of the read pool.
	MaxConns int32 `key:"server.max_conns" flag:"max-conns" default:"32" min:"2" max:"10000" doc:"database connections of the server"`
	// DefaultLimit and MaxLimit of feature pages.
	DefaultLimit int `key:"server.default_limit" flag:"default-limit" default:"10" min:"1" max:"100000" doc:"features in a page when the client gives no limit"`
	MaxLimit     int `key:"server.max_limit" flag:"max-limit" default:"10000" min:"1" max:"100000" doc:"largest page of features (limit) a client may ask; more is clamped"`
	// Migrate applies pending migrations at start, with the owner's
	// credentials, which are then closed. Without it the server holds
	// only the reader's.
	Migrate bool `key:"server.migrate" flag:"migrate" default:"false" doc:"apply pending migrations at start (logs in as the owner, then lets go); without it the server holds only the reader's credentials"`
	Limits
	Tiles
	Viewer
	Report
	Accounts
}

// Accounts configure sign-in, sessions, uploads and the identity provider
// (README: Accounts, roles and comuni).
type Accounts struct {
	// AllowUploads makes the server hold the owner's credentials to import
	// uploads and change or remove layers through /admin/…; without it
	// those answer 503 and the server holds only the reader's and the web
	// role's.
	AllowUploads bool `key:"accounts.allow_uploads" flag:"allow-uploads" default:"false" doc:"hold the owner's credentials to import uploads and change or remove layers through /admin/ (without it the server holds only the reader's and the web role's)"`
	// UploadDir keeps uploads while they are imported.
	UploadDir string `key:"accounts.upload_dir" flag:"upload-dir" doc:"where uploads wait while they are imported (default: under the system's temporary directory)"`
	// MaxUploadBytes bounds one upload; UploadTimeout the time to send it.
	MaxUploadBytes int64         `key:"accounts.max_upload_bytes" flag:"max-upload-bytes" default:"1073741824" min:"1024" doc:"largest upload in bytes (413 past it)"`
	UploadTimeout  time.Duration `key:"accounts.upload_timeout" flag:"upload-timeout" default:"30m" min:"1s" doc:"time a client has to send an upload"`
	// SessionTTL is a session's lifetime; SessionIdle ends an unused one.
	SessionTTL  time.Duration `key:"accounts.session_ttl" flag:"session-ttl" default:"8h" min:"1m" doc:"lifetime of a browser session"`
	SessionIdle time.Duration `key:"accounts.session_idle" flag:"session-idle" default:"1h" min:"1m" doc:"a browser session unused this long ends"`
	// OIDC: an OpenID Connect provider (empty issuer: none). The client
	// secret has no flag (flags show in the process list).
	OIDCIssuer        string   `key:"oidc.issuer" flag:"oidc-issuer" check:"url" doc:"OpenID Connect provider (issuer URL) to sign in with; empty: none"`
	OIDCClientID      string   `key:"oidc.client_id" flag:"oidc-client-id" doc:"this server's client id at the provider"`
	OIDCClientSecret  string   `key:"oidc.client_secret" env:"SIT_OIDC_CLIENT_SECRET" secret:"true" doc:"this server's client secret at the provider (environment or file only)"`
	OIDCRedirectURL   string   `key:"oidc.redirect_url" flag:"oidc-redirect-url" check:"url" doc:"this server's callback as registered at the provider (default: server.public_url + /auth/oidc/callback)"`
	OIDCScopes        []string `key:"oidc.scopes" flag:"oidc-scopes" doc:"scopes beyond openid (default profile,email)"`
	OIDCRoleClaim     string   `key:"oidc.role_claim" flag:"oidc-role-claim" default:"groups" doc:"ID-token (or userinfo) claim holding the user's groups or roles"`
	OIDCUsernameClaim string   `key:"oidc.username_claim" flag:"oidc-username-claim" doc:"claim naming the account (default preferred_username, then email)"`
	OIDCMap           []string `key:"oidc.map" flag:"oidc-map" doc:"VALUE=ROLE[@COMUNE] pairs: a value of the role claim and the role it gives, e.g. sit-lucca-admin=admin@lucca"`
	OIDCDefaultRole   string   `key:"oidc.default_role" flag:"oidc-default-role" doc:"role of a provider's user no oidc.map matches (empty: refused)"`
}

// Secure reports whether the server is reached over HTTPS (its public URL
// says so): cookies are then Secure.
func (s Server) Secure() bool { return strings.HasPrefix(strings.ToLower(s.PublicURL), "https://") }

// Limits bound what one client can hold of the server: time to send its
// request, to read the answer, its size, its share of the server, and how
// long a shutdown waits for it.
type Limits struct {
	// ReadHeaderTimeout bounds the time to send the request line and headers.
	ReadHeaderTimeout time.Duration `key:"server.read_header_timeout" flag:"read-header-timeout" default:"10s" min:"1ms" doc:"time a client has to send its request line and headers"`
	// ReadTimeout bounds the time to send a request body.
	ReadTimeout time.Duration `key:"server.read_timeout" flag:"read-timeout" default:"30s" min:"1ms" doc:"time a client has to send a request body"`
	// WriteTimeout bounds each write of a response: a client that stops
	// reading is cut off after it (responses go out in writes of at most
	// 64 KiB).
	WriteTimeout time.Duration `key:"server.write_timeout" flag:"write-timeout" default:"30s" min:"1ms" doc:"time each write of a response may take (a client that stops reading is cut off)"`
	// IdleTimeout closes a kept-alive connection left idle.
	IdleTimeout time.Duration `key:"server.idle_timeout" flag:"idle-timeout" default:"120s" min:"1ms" doc:"idle keep-alive connections are closed after this"`
	// MaxHeaderBytes bounds the request line and headers (431 past it).
	MaxHeaderBytes int `key:"server.max_header_bytes" flag:"max-header-bytes" default:"262144" min:"4096" doc:"largest request line and headers in bytes (431 past it)"`
	// MaxBodyBytes bounds a request body (413 past it).
	MaxBodyBytes int64 `key:"server.max_body_bytes" flag:"max-body-bytes" default:"1048576" min:"1024" doc:"largest request body in bytes (413 past it)"`
	// MaxRequestsPerIP bounds the requests one client address has in
	// progress on the data routes (429 past it); 0 means no bound.
	MaxRequestsPerIP int `key:"server.max_requests_per_ip" flag:"max-requests-per-ip" default:"0" min:"0" doc:"requests one client address may have in progress on the data routes (429 past it; 0: no bound); behind a proxy the address is the client's only with server.trusted_proxies"`
	// ShutdownGrace is how long SIGTERM waits for requests in progress
	// before it cancels them.
	ShutdownGrace time.Duration `key:"server.shutdown_grace" flag:"shutdown-grace" default:"10s" min:"1ms" doc:"on SIGTERM, how long requests in progress may finish before they are cancelled"`
	// LargePages bounds the feature pages of more than 1 000 features
	// produced at once (0: one per CPU); the others wait their turn.
	LargePages int `key:"server.large_pages" flag:"large-pages" default:"0" min:"0" doc:"feature pages of more than 1 000 features produced at once (0: one per CPU); the others wait their turn"`
	// MemoryBudget is the resident memory the whole server keeps to: the
	// Go memory limit and the tile cache's capacity are derived from it
	// while serving (internal/membudget); see Budget for its default.
	MemoryBudget int64 `key:"server.memory_budget" flag:"memory-budget" default:"0" min:"0" doc:"resident memory in bytes sit serve keeps to as a whole: its binary, the Go runtime, the requests and the tile cache, which holds what the rest leaves (at most tiles.cache_bytes); 0: the larger of tiles.cache_bytes and 128 MiB"`
	// MemoryLimit fixes the Go runtime's soft memory limit instead of
	// deriving it from the budget: near it the collector runs more often
	// instead of letting the heap grow to twice what is live.
	MemoryLimit int64 `key:"server.memory_limit" flag:"memory-limit" default:"0" min:"0" doc:"soft limit in bytes of the memory sit serve's Go runtime manages (near it the garbage collector works harder); 0: server.memory_budget less the binary's resident pages, adjusted while serving; the GOMEMLIMIT variable, when set, wins"`
}

// DefaultMemoryBudget is the budget of a server whose tile cache is
// smaller: at 64 connections it stays under 150 MB with the default
// 32 MiB cache full (docs/SCALING.md, "Memory").
const DefaultMemoryBudget = 128 << 20

// Budget is the resident memory the server keeps to: server.memory_budget,
// or the larger of the tile cache's bound and DefaultMemoryBudget (a
// large tile cache is what the server's memory is for: the process as a
// whole keeps to that size, the cache holding what the rest leaves).
func (s Server) Budget() int64 {
	if s.MemoryBudget > 0 {
		return s.MemoryBudget
	}
	return max(s.TileCacheBytes, DefaultMemoryBudget)
}

// Tiles configure vector tiles and PMTiles archives.
type Tiles struct {
	// TileCacheBytes bounds the in-process tile cache; TileCacheControl is
	// the Cache-Control header of tiles.
	// The default holds the demo's whole z13-z17 tile set within the
	// default memory budget; more warm tiles are a CDN's job, or a larger
	// budget. The cache may hold less: what the budget leaves.
	TileCacheBytes   int64  `key:"tiles.cache_bytes" flag:"tile-cache-bytes" default:"33554432" min:"0" doc:"most bytes the in-process tile cache may hold (0 disables it); it holds what server.memory_budget leaves, at most this; with no budget set, a cache above 128 MiB is the server's budget as a whole"`
	TileCacheControl string `key:"tiles.cache_control" flag:"tile-cache-control" default:"public, max-age=60" doc:"Cache-Control header of tiles"`
	// TileConcurrency bounds the tile statements running at once
	// (0: 4 × the CPUs); the rest wait, which on few cores is faster.
	TileConcurrency int `key:"tiles.concurrency" flag:"tile-concurrency" default:"0" min:"0" doc:"tile statements run at once (0: 4 × CPUs)"`
	// PMTilesDir holds archives served under /pmtiles/.
	PMTilesDir string `key:"tiles.pmtiles_dir" flag:"pmtiles-dir" doc:"directory, or s3://BUCKET[/PREFIX]?… bucket, of PMTiles archives to serve under /pmtiles/"`
}

// Viewer configures the map viewer.
type Viewer struct {
	// Basemap is an optional raster/vector source URL for the viewer.
	Basemap string `key:"viewer.basemap" flag:"basemap" doc:"base map for the viewer: a raster tile URL template ({z}/{x}/{y}), a WMS URL, a .pmtiles archive or a style URL"`
}

// Report configures the zoning report, on the server and on the command line.
type Report struct {
	// Comune is the name shown in reports' headers.
	Comune string `key:"report.comune" flag:"comune" default:"Comune di Lucca" doc:"name of the municipality shown in reports"`
	// SliverMinAreaM2 and SliverMinPct: in a zoning report, the pieces of a
	// zone or constraint smaller than either are border effects, listed apart.
	SliverMinAreaM2 float64 `key:"report.sliver_min_area" flag:"sliver-min-area" default:"1" min:"0" doc:"zoning report: pieces smaller than this many m² are border effects"`
	SliverMinPct    float64 `key:"report.sliver_min_pct" flag:"sliver-min-pct" default:"0.1" min:"0" max:"99.999" doc:"zoning report: pieces smaller than this % of the parcel are border effects"`
	// MaxReportParcels bounds the parcels of one zoning report.
	MaxReportParcels int `key:"report.max_parcels" flag:"max-report-parcels" default:"20" min:"1" max:"1000" doc:"most parcels in one zoning report requested over HTTP"`
}

// NeedsOwner reports whether the server must log in as the owner: to
// migrate at start, or to import uploads and change layers.
func (s Server) NeedsOwner() bool { return s.Migrate || s.AllowUploads }

// Defaults returns every setting at its default.
func Defaults() Config {
	var c Config
	for _, s := range Settings() {
		if err := s.parse(s.field(&c), s.Default); err != nil {
			panic("config: default of " + s.Key + ": " + err.Error()) // a tag typo: TestSettings catches it
		}
	}
	return c
}

// DefaultServer returns the server defaults.
func DefaultServer() Server { return Defaults().Server }
