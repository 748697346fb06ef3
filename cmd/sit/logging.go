package main

import (
	"io"
	"log/slog"

	"github.com/sit-gis/sit/internal/config"
)

// newLogger is the one logger of the process: every line in one format
// (text: key=value; json: one object per line) on w, standard error.
func newLogger(w io.Writer, c config.Log) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(c.Level)) // validated by config
	return slog.New(handler(w, c.Format, level))
}

// accessLogger logs the server's requests in the same format on w, at
// any --log-level; nil when access logging is off.
func accessLogger(w io.Writer, c config.Log) *slog.Logger {
	if !c.Access {
		return nil
	}
	return slog.New(handler(w, c.Format, slog.LevelInfo))
}

func handler(w io.Writer, format string, level slog.Level) slog.Handler {
	o := &slog.HandlerOptions{Level: level}
	if format == "json" {
		return slog.NewJSONHandler(w, o)
	}
	return slog.NewTextHandler(w, o)
}
