package layers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// ErrNotFound is returned for a layer that is not in the catalog.
var ErrNotFound = errors.New("layer not found")

// NotifyChannel is the LISTEN/NOTIFY channel on which imports announce new
// layer versions, so that every server instance refreshes its catalog.
const NotifyChannel = "sit_layers"

// Property describes one attribute column of a layer.
type Property struct {
	Name      string    `json:"name"`
	Type      FieldType `json:"type"`
	Title     string    `json:"title,omitempty"` // the source's own name, when laundered
	Queryable bool      `json:"queryable"`
	Canonical bool      `json:"canonical,omitempty"` // one of the kind's canonical columns
	// Description of a published column (its comment); Nullable: it may
	// be NULL (published columns only, read from the database).
	Description string `json:"description,omitempty"`
	Nullable    bool   `json:"nullable,omitempty"`
	// Cast is the SQL type a published column is read as where its own
	// would not do (numeric as float8 in tiles, uuid as text); "" none.
	Cast string `json:"cast,omitempty"`
}

// Layer is one catalog entry (sit.layers) and the table holding its features.
type Layer struct {
	Name             string
	Title            string
	Description      string
	Attribution      string
	Kind             Kind
	Table            string // in schema sit_versions: <name>_v<version>
	GeometryType     string // PostGIS type name: Point, MultiPolygon, ... or Geometry
	SourceSRID       int
	FIDType          FieldType // integer or text
	Version          int64
	FeatureCount     int64
	Extent           *[4]float64 // EPSG:4326 minx, miny, maxx, maxy
	Properties       []Property
	TemporalProperty string
	TemporalExtent   *[2]time.Time
	MinZoom, MaxZoom int
	Style            json.RawMessage
	Roles            []string
	Synthetic        bool
	// Comune owns the layer ("" for a province-wide layer every comune
	// shares); Visibility says who may see it.
	Comune     string
	Visibility Visibility
	CreatedAt  time.Time
	UpdatedAt  time.Time
	// Source says how to read a published layer (zero for an import).
	Source Source
}

// Ident is the schema-qualified table of the layer's version in this
// catalog snapshot. Readers query it, not the view sit_data.<layer>: a new
// version is a new table, so neither waits for the other, and the table a
// snapshot names outlives the snapshot (Store.collect).
//
// A published layer's is the office's own relation.
func (l Layer) Ident() pgx.Identifier {
	if l.Published() {
		return pgx.Identifier{l.Source.Schema, l.Source.Relation}
	}
	return pgx.Identifier{versionSchema, l.Table}
}

// Property returns the named property.
func (l Layer) Property(name string) (Property, bool) {
	for _, p := range l.Properties {
		if p.Name == name {
			return p, true
		}
	}
	return Property{}, false
}

// HasRole reports whether the layer plays a role (e.g. "cadastre", "zoning").
func (l Layer) HasRole(role string) bool {
	for _, r := range l.Roles {
		if r == role {
			return true
		}
	}
	return false
}

const layerColumns = `name, title, description, attribution, kind, table_name, geometry_type, source_srid,
	fid_type, version, feature_count, extent, properties, coalesce(temporal_property, ''), temporal_extent,
	min_zoom, max_zoom, style, roles, synthetic, coalesce(comune, ''), visibility, created_at, updated_at`

func scanLayer(row pgx.Row) (Layer, error) {
	var l Layer
	var extent []float64
	var temporal []time.Time
	var props []byte
	var style []byte
	var kind, fidType, vis string
	err := row.Scan(&l.Name, &l.Title, &l.Description, &l.Attribution, &kind, &l.Table, &l.GeometryType, &l.SourceSRID,
		&fidType, &l.Version, &l.FeatureCount, &extent, &props, &l.TemporalProperty, &temporal,
		&l.MinZoom, &l.MaxZoom, &style, &l.Roles, &l.Synthetic, &l.Comune, &vis, &l.CreatedAt, &l.UpdatedAt)
	if err != nil {
		return l, err
	}
	l.Kind = Kind(kind)
	l.Visibility = Visibility(vis)
	l.FIDType = FieldType(fidType)
	if len(extent) == 4 {
		l.Extent = &[4]float64{extent[0], extent[1], extent[2], extent[3]}
	}
	if len(temporal) == 2 {
		l.TemporalExtent = &[2]time.Time{temporal[0], temporal[1]}
	}
	if len(props) > 0 {
		if err := json.Unmarshal(props, &l.Properties); err != nil {
			return l, fmt.Errorf("layer %s: properties: %w", l.Name, err)
		}
	}
	if len(style) > 0 {
		l.Style = json.RawMessage(style)
	}
	return l, nil
}

// Querier is what reading needs from a pool or a connection: the catalog
// here, the lookups and reports of the feature packages.
type Querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// DB is what a register that writes needs from a pool (*pgxpool.Pool):
// reads, statements and transactions. The planning register, the
// certificates' and the accounts' stores take one (the owner's pool on
// the command line, the web role's in the server).
type DB interface {
	Querier
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Begin(ctx context.Context) (pgx.Tx, error)
}

// View gives the layers a request may see (*access.Catalog): it reads the
// principal and the comune from the request's context. The feature
// packages read the catalog through it.
type View interface {
	Layers(ctx context.Context) []Layer
	Layer(ctx context.Context, name string) (Layer, bool)
}

// ListLayers reads the whole catalog, ordered by name.
func ListLayers(ctx context.Context, q Querier) ([]Layer, error) {
	return listRows(ctx, q, "list layers", "SELECT "+layerColumns+" FROM sit.layers ORDER BY name", scanLayer)
}

// GetLayer reads one catalog entry; ErrNotFound when there is none.
func GetLayer(ctx context.Context, q Querier, name string) (Layer, error) {
	return getRow(ctx, q, "get layer", ErrNotFound, name, "SELECT "+layerColumns+" FROM sit.layers WHERE name = $1", scanLayer)
}

// listRows reads every row a statement returns, what naming it in errors.
func listRows[T any](ctx context.Context, q Querier, what, sql string, scan func(pgx.Row) (T, error)) ([]T, error) {
	rows, err := q.Query(ctx, sql)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (T, error) { return scan(r) })
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}

// getRow reads the one row a statement returns for key ($1): notFound
// (wrapped, naming key) when there is none, what naming it in other errors.
func getRow[T any](ctx context.Context, q Querier, what string, notFound error, key, sql string, scan func(pgx.Row) (T, error)) (T, error) {
	v, err := scan(q.QueryRow(ctx, sql, key))
	if errors.Is(err, pgx.ErrNoRows) {
		var zero T
		return zero, fmt.Errorf("%w: %s", notFound, key)
	}
	if err != nil {
		var zero T
		return zero, fmt.Errorf("%s %s: %w", what, key, err)
	}
	return v, nil
}

// Catalog is the serving side's view of sit.layers: an in-memory snapshot,
// replaced whole on every change, so that handlers read it without a query
// and without locks. Watch keeps it fresh (notifications as hints, and a poll).
type Catalog struct {
	pool *pgxpool.Pool
	log  *slog.Logger
	snap atomic.Pointer[snapshot]
	// gate, if set, holds a changed snapshot back (pending) until the
	// replicas serving reads have replayed it, or for at most maxLag.
	gate    Gate
	maxLag  time.Duration
	pending atomic.Pointer[snapshot]
	// keeping: a pass of KeepTileCopies runs (Watch starts one at a time).
	keeping atomic.Bool
}

type snapshot struct {
	list   []Layer
	byName map[string]Layer
	comuni []Comune
	loaded time.Time
	// lsn is a WAL position (bytes) at or past the commit of every change
	// the snapshot shows: a replica that has replayed it has their tables.
	lsn uint64
	// published: something is published, so the catalog is polled every
	// publishedPoll (tables appear and go without a notification).
	published bool
	// since is when a pending snapshot's change was first seen.
	since time.Time
}

// Gate is where reads go besides the database the catalog reads itself
// from (*replica.Pools): streaming replicas, which replay the primary's
// WAL some time after its commits. A catalog snapshot names the tables of
// layer versions, so readers must not switch to one before the replicas
// they read from have its tables.
type Gate interface {
	// Replayed reports whether the replicas in use have replayed the WAL
	// up to lsn.
	Replayed(lsn uint64) bool
	// Publish says that readers now use a snapshot that needs lsn: reads
	// must go only where it has been replayed.
	Publish(lsn uint64)
}

// SetGate makes the catalog wait for g before it switches readers to a
// changed snapshot, for at most maxLag (then g's laggards get no reads
// until they catch up). Call it before Refresh and Watch.
func (c *Catalog) SetGate(g Gate, maxLag time.Duration) {
	c.gate, c.maxLag = g, maxLag
}

// NewCatalog makes a catalog over pool; call Refresh before use.
func NewCatalog(pool *pgxpool.Pool, log *slog.Logger) *Catalog {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	c := &Catalog{pool: pool, log: log}
	c.snap.Store(&snapshot{byName: map[string]Layer{}})
	return c
}

// Refresh reloads the snapshot from the database.
func (c *Catalog) Refresh(ctx context.Context) error {
	_, err := c.reload(ctx)
	return err
}

// walPosition is the WAL position every change the database shows has
// committed at or before: the insert position on a primary (a commit is
// visible once its record is inserted), the replay position on a standby.
const walPosition = `SELECT (CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn()
	ELSE pg_current_wal_insert_lsn() END - '0/0'::pg_lsn)::bigint`

// reload reads the catalog and reports whether the snapshot in use changed
// (version, metadata, presence of a layer). With a gate a changed snapshot
// waits as pending until publishPending lets it through.
func (c *Catalog) reload(ctx context.Context) (bool, error) {
	list, err := ListLayers(ctx, c.pool)
	if err != nil {
		return false, err
	}
	comuni, err := ListComuni(ctx, c.pool)
	if err != nil {
		return false, err
	}
	list, published, err := c.withPublished(ctx, list)
	if err != nil {
		return false, err
	}
	s := &snapshot{list: list, byName: make(map[string]Layer, len(list)), comuni: comuni, loaded: time.Now(), since: time.Now(), published: published}
	for _, l := range list {
		s.byName[l.Name] = l
	}
	if c.gate == nil {
		return changed(c.snap.Swap(s), s), nil
	}
	// Read after the catalog: an upper bound of the commits it shows.
	var lsn *int64
	if err := c.pool.QueryRow(ctx, walPosition).Scan(&lsn); err != nil {
		return false, fmt.Errorf("catalog WAL position: %w", err)
	}
	if lsn != nil {
		s.lsn = uint64(*lsn)
	}
	cur := c.snap.Load()
	if cur.loaded.IsZero() {
		// The first snapshot: there is nothing older to serve meanwhile;
		// replicas behind it get no reads until they have replayed it.
		c.gate.Publish(s.lsn)
		c.snap.Store(s)
		return true, nil
	}
	if !changed(cur, s) {
		c.pending.Store(nil)
		return false, nil
	}
	if p := c.pending.Load(); p != nil {
		s.since = p.since // a stream of changes must not hold readers back for ever
	}
	c.pending.Store(s)
	return c.publishPending(), nil
}

// publishPending switches readers to the pending snapshot once the gate
// says the replicas have replayed it, or once it has waited maxLag.
func (c *Catalog) publishPending() bool {
	p := c.pending.Load()
	if p == nil {
		return false
	}
	ready := c.gate.Replayed(p.lsn)
	if !ready && time.Since(p.since) < c.maxLag {
		return false
	}
	if !c.pending.CompareAndSwap(p, nil) {
		return false // a newer one came meanwhile; the next call decides
	}
	if !ready {
		c.log.Warn("replicas have not replayed a catalog change within the maximum lag: they serve no reads until they have", "max_lag", c.maxLag.String())
	}
	// The floor goes up first: no read may reach a replica without the
	// new tables once a reader can see their names.
	c.gate.Publish(p.lsn)
	c.snap.Store(p)
	return true
}

// changed reports whether b differs from a in a way readers see.
func changed(a, b *snapshot) bool {
	if len(a.list) != len(b.list) || len(a.comuni) != len(b.comuni) {
		return true
	}
	for i, m := range b.comuni {
		if !a.comuni[i].UpdatedAt.Equal(m.UpdatedAt) {
			return true
		}
	}
	for i, l := range b.list {
		// A column added to a published table (a Web Mercator copy, a
		// property) bumps no version.
		if o := a.list[i]; o.Name != l.Name || o.Version != l.Version || !o.UpdatedAt.Equal(l.UpdatedAt) ||
			o.Source.Geom3857 != l.Source.Geom3857 || o.Source.TileCopy != l.Source.TileCopy || len(o.Properties) != len(l.Properties) {
			return true
		}
	}
	return false
}

// Pending reports whether a changed catalog waits for the replicas to
// replay it (readers still see the snapshot before it).
func (c *Catalog) Pending() bool { return c.pending.Load() != nil }

// Layers returns every layer, ordered by name. The slice is shared: do not modify it.
func (c *Catalog) Layers() []Layer { return c.snap.Load().list }

// Layer returns the named layer from the snapshot.
func (c *Catalog) Layer(name string) (Layer, bool) {
	l, ok := c.snap.Load().byName[name]
	return l, ok
}

// Comuni returns every comune, ordered by slug. The slice is shared: do not modify it.
func (c *Catalog) Comuni() []Comune { return c.snap.Load().comuni }

// Comune returns the comune of a slug.
func (c *Catalog) Comune(slug string) (Comune, bool) {
	for _, m := range c.snap.Load().comuni {
		if m.Slug == slug {
			return m, true
		}
	}
	return Comune{}, false
}

// DefaultComune is the comune of the URLs without /c/{comune}/: the one
// marked default, else the only one; ok is false when there is none.
func (c *Catalog) DefaultComune() (Comune, bool) {
	all := c.snap.Load().comuni
	for _, m := range all {
		if m.Default {
			return m, true
		}
	}
	if len(all) == 1 {
		return all[0], true
	}
	return Comune{}, false
}

// ByKind returns the layers of a kind, ordered by name.
func (c *Catalog) ByKind(k Kind) []Layer {
	var out []Layer
	for _, l := range c.Layers() {
		if l.Kind == k {
			out = append(out, l)
		}
	}
	return out
}

// catalogPoll bounds how long a catalog can miss a change. The catalog
// table is the truth and notifications only a hint: a server may miss one
// (a lost connection), a hot standby refuses LISTEN, and PostgreSQL lets
// any role NOTIFY any channel. So the table is re-read on every
// notification and at least this often.
const catalogPoll = 15 * time.Second

// notifyBurst is how long a notification waits for others, and burstMax
// how long at most: a burst (or a flood of forged ones) costs one read.
const (
	notifyBurst = 20 * time.Millisecond
	burstMax    = 100 * time.Millisecond
)

// Watch keeps the snapshot fresh until ctx ends: it re-reads the catalog on
// every burst of notifications on NotifyChannel and every catalogPoll.
// After a lost connection it reconnects and re-reads (changes made meanwhile
// are not lost); on a database that refuses LISTEN (a hot standby) it only
// polls. onChange, if not nil, runs after each re-read that found a change.
//
// The log gets one line when the listener is lost and one when it listens
// again, however many reconnections fail in between (a database outage):
// the failed attempts are at debug level.
func (c *Catalog) Watch(ctx context.Context, onChange func()) {
	var lost time.Time // when the listener was lost; zero while it listens
	listening := func() {
		if !lost.IsZero() {
			c.log.Info("catalog listener back", "after", time.Since(lost).Round(time.Millisecond).String())
			lost = time.Time{}
		}
	}
	for ctx.Err() == nil {
		err := c.listen(ctx, onChange, listening)
		if ctx.Err() != nil {
			return
		}
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && pgErr.Code == "25006" {
			c.log.Info("the database refuses LISTEN (a standby): polling the catalog", "every", catalogPoll.String())
			c.poll(ctx, onChange)
			return
		}
		if lost.IsZero() {
			lost = time.Now()
			c.log.Warn("catalog listener lost; reconnecting every second", "err", err)
		} else {
			c.log.Debug("catalog listener: reconnection failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Second):
		}
	}
}

// gateTick is how often a pending snapshot asks the gate whether the
// replicas have replayed it.
const gateTick = 50 * time.Millisecond

// poll re-reads the catalog every catalogPoll until ctx ends, logging
// when reads start failing and when they work again.
func (c *Catalog) poll(ctx context.Context, onChange func()) {
	failing := false
	for {
		if _, err := c.wait(ctx, nil, onChange); err != nil {
			return
		}
		err := c.refreshed(ctx, onChange)
		switch {
		case ctx.Err() != nil:
		case err != nil && !failing:
			c.log.Warn("catalog poll failed; retrying every "+catalogPoll.String(), "err", err)
		case err != nil:
			c.log.Debug("catalog poll failed again", "err", err)
		case failing:
			c.log.Info("catalog poll back")
		}
		failing = err != nil
	}
}

// wait waits for a notification on conn (none when conn is nil) or for the
// next poll, whichever comes first, and meanwhile publishes a pending
// snapshot as soon as the gate lets it through. It reports whether a
// notification came.
func (c *Catalog) wait(ctx context.Context, conn *pgx.Conn, onChange func()) (bool, error) {
	deadline := time.Now().Add(c.pollEvery())
	for {
		d := time.Until(deadline)
		if c.pending.Load() != nil {
			d = min(d, gateTick)
		}
		if d <= 0 {
			return false, nil
		}
		if conn == nil {
			select {
			case <-ctx.Done():
				return false, ctx.Err()
			case <-time.After(d):
			}
		} else if notified, err := waitNotification(ctx, conn, d); err != nil || notified {
			return notified, err
		}
		if c.gate != nil && c.publishPending() && onChange != nil {
			onChange()
		}
	}
}

// pollEvery is how long the catalog may go unread.
func (c *Catalog) pollEvery() time.Duration {
	if c.snap.Load().published {
		return publishedPoll
	}
	return catalogPoll
}

// withPublished adds the published relations to the imported layers,
// ordered by name, and reports whether anything is published.
func (c *Catalog) withPublished(ctx context.Context, list []Layer) ([]Layer, bool, error) {
	var any bool
	if err := c.pool.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM sit.published)").Scan(&any); err != nil {
		return nil, false, fmt.Errorf("published sources: %w", err)
	}
	if !any {
		return list, false, nil
	}
	pub, skipped, err := ListPublished(ctx, c.pool, time.Now())
	if err != nil {
		return nil, false, err
	}
	for _, s := range skipped {
		c.log.Debug("published relation not served", "why", s)
	}
	all := append(append(make([]Layer, 0, len(list)+len(pub)), list...), pub...)
	sort.Slice(all, func(i, j int) bool { return all[i].Name < all[j].Name })
	return all, true, nil
}

// refreshed re-reads the catalog and calls onChange when it changed; then
// it starts a pass over the tile copies when one is wanting, or when the
// catalog changed (a table dropped or unpublished leaves a copy to drop).
func (c *Catalog) refreshed(ctx context.Context, onChange func()) error {
	changed, err := c.reload(ctx)
	if err == nil && changed && onChange != nil {
		onChange()
	}
	if err == nil && (changed || copyWanted(c.Layers())) && c.snap.Load().published && c.keeping.CompareAndSwap(false, true) {
		// In the background: a fill takes as long as the table is big, and
		// the catalog must not wait for it. The build notifies; the
		// listener (or the next poll) then reads the copy in.
		go func() {
			defer c.keeping.Store(false)
			if _, err := KeepTileCopies(ctx, c.pool, c.Layers()); err != nil && ctx.Err() == nil {
				c.log.Debug("tile copies not kept", "err", err)
			}
		}()
	}
	return err
}

// KeepCopies runs a pass over the tile copies now (what Watch does after
// each re-read, in the background) and re-reads the catalog when it
// changed something.
func (c *Catalog) KeepCopies(ctx context.Context) error {
	changed, err := KeepTileCopies(ctx, c.pool, c.Layers())
	if err != nil || !changed {
		return err
	}
	return c.Refresh(ctx)
}

// listen listens on NotifyChannel and re-reads the catalog until an error;
// listening runs once it listens and has read the catalog.
func (c *Catalog) listen(ctx context.Context, onChange, listening func()) error {
	pc, err := c.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	// The connection stays in LISTEN mode: take it out of the pool for good.
	conn := pc.Hijack()
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{NotifyChannel}.Sanitize()); err != nil {
		return err
	}
	for {
		// Re-read first (after LISTEN, so that nothing between is missed),
		// then wait for a hint or the poll.
		if err := c.refreshed(ctx, onChange); err != nil {
			return err
		}
		if listening != nil {
			listening()
			listening = nil
		}
		notified, err := c.wait(ctx, conn, onChange)
		if err != nil {
			return err
		}
		// A burst ends after a quiet notifyBurst, or after burstMax under a
		// flood, which then costs at most one catalog read per burstMax.
		for end := time.Now().Add(burstMax); notified && time.Now().Before(end); {
			if notified, err = waitNotification(ctx, conn, notifyBurst); err != nil {
				return err
			}
		}
	}
}

// waitNotification waits at most d for a notification: false when none
// came. A timeout leaves the connection usable.
func waitNotification(ctx context.Context, conn *pgx.Conn, d time.Duration) (bool, error) {
	wctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	n, err := conn.WaitForNotification(wctx)
	if err != nil {
		if ctx.Err() == nil && wctx.Err() != nil {
			return false, nil
		}
		return false, err
	}
	return n != nil, nil
}

// sortProperties keeps canonical columns first, then the source's order.
func sortProperties(ps []Property) {
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].Canonical && !ps[j].Canonical })
}
