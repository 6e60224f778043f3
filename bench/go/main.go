// Command benchgo times the Go reference implementations on the same inputs as
// bench/__main__.py, so that both are measured in one run on one machine.
//
//	benchgo gjson REPEAT FILE     lines {"json": "...", "path": "..."}
//	benchgo template REPEAT FILE  lines {"template": "...", "data": <any JSON>}
//
// It prints the mean nanoseconds per line (one query, or one Execute of a template
// parsed beforehand).
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"strconv"
	"strings"
	"text/template"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/tidwall/gjson"
)

type line struct {
	JSON     string      `json:"json"`
	Path     string      `json:"path"`
	Template string      `json:"template"`
	Data     interface{} `json:"data"`
}

func read(name string) []line {
	f, err := os.Open(name)
	if err != nil {
		panic(err)
	}
	defer f.Close()
	in := bufio.NewScanner(f)
	in.Buffer(make([]byte, 1<<20), 1<<27)
	var out []line
	for in.Scan() {
		var l line
		if err := json.Unmarshal(in.Bytes(), &l); err != nil {
			panic(err)
		}
		out = append(out, l)
	}
	return out
}

// Only enough of the guide's functions for templates that use them to parse and run.
var funcs = template.FuncMap{
	"Capitalize": func(v interface{}) string {
		s := fmt.Sprint(v)
		r, n := utf8.DecodeRuneInString(s)
		return string(unicode.ToUpper(r)) + s[n:]
	},
	"UrlEncode": func(v interface{}) string {
		return strings.ReplaceAll(url.QueryEscape(fmt.Sprint(v)), "+", "%20")
	},
	"ToMillis": func(v interface{}) (string, error) {
		switch x := v.(type) {
		case float64:
			return strconv.FormatInt(int64(x)*1000, 10), nil
		case string:
			n, err := strconv.ParseInt(x, 10, 64)
			return strconv.FormatInt(n*1000, 10), err
		}
		return "", fmt.Errorf("not a timestamp")
	},
	"TimeFormat": func(ts interface{}, layout, utc string) (string, error) { return layout, nil },
}

func main() {
	kind, file := os.Args[1], os.Args[3]
	repeat, _ := strconv.Atoi(os.Args[2])
	lines := read(file)
	var ops int
	var start time.Time
	switch kind {
	case "gjson":
		sink := 0
		for _, l := range lines { // warm-up
			sink += len(gjson.Get(l.JSON, l.Path).Raw)
		}
		start = time.Now()
		for i := 0; i < repeat; i++ {
			for _, l := range lines {
				sink += len(gjson.Get(l.JSON, l.Path).Raw)
			}
		}
		ops = repeat * len(lines)
		_ = sink
	case "template":
		type job struct {
			t    *template.Template
			data interface{}
		}
		var jobs []job
		for _, l := range lines {
			t, err := template.New("b").Funcs(funcs).Parse(l.Template)
			if err != nil {
				continue
			}
			if t.Execute(io.Discard, l.Data) != nil {
				continue
			}
			jobs = append(jobs, job{t, l.Data})
		}
		var b strings.Builder
		start = time.Now()
		for i := 0; i < repeat; i++ {
			for _, j := range jobs {
				b.Reset()
				_ = j.t.Execute(&b, j.data)
			}
		}
		ops = repeat * len(jobs)
	}
	fmt.Printf("%.1f\n", float64(time.Since(start).Nanoseconds())/float64(ops))
}
