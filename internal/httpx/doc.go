// Package httpx is SIT's HTTP toolkit: the one home of every HTTP concern
// that more than one feature package needs. Problem details (RFC 9457) and
// the error writer, strict query parsing and per-route parameter lists,
// content negotiation (media types and codings with q-values), gzip, JSON
// and other in-memory bodies with strong ETags and 304s, spooled bodies
// for responses produced from the database, the base URL of links, Range
// and conditional requests (RFC 9110), and GET routes that answer HEAD.
//
// Feature packages (query, tiles, cadastre, reports, web, catalogapi) use
// it from their handlers; none of them writes a header by hand that this
// package writes.
package httpx
