package gdprkit

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync/atomic"
	"time"
	"unicode"

	"github.com/gdprkit/gdprkit/gdpr/rights"
	"github.com/gdprkit/gdprkit/internal/sqldb"
	"github.com/gdprkit/gdprkit/pii"
	"github.com/gdprkit/gdprkit/pii/shred"
)

// Errors of tables.
var (
	// ErrInvalidTable is matched by errors about a type, tag or
	// configuration a table cannot be made of; the message names the type
	// and the field.
	ErrInvalidTable = errors.New("gdprkit: invalid table")
	// ErrNotFound is returned by Table.Get when no row has the key; it
	// wraps sql.ErrNoRows too.
	ErrNotFound = errors.New("gdprkit: no such row")
	// ErrDuplicate is returned when a write would give two rows the same
	// key or the same value of a unique field.
	ErrDuplicate = errors.New("gdprkit: a row with the same key or unique value exists")
	// ErrUnbound is returned by a table made without TableConfig.Keys
	// until Open binds it to the kit's keys.
	ErrUnbound = errors.New("gdprkit: table not bound to a kit (pass it in Config.Sources)")
)

// TagKeyDB is the struct tag key a table reads a field's column from.
const TagKeyDB = "db"

// TableConfig describes a table of tagged rows.
type TableConfig struct {
	// Name is the SQL table (an identifier, optionally schema-qualified).
	// Required.
	Name string
	// Key is the Go name of the field holding the primary key; the
	// pii:"subject" field when empty. Get, Update and Delete find rows by
	// it.
	Key string

	// Source names the table in exports, journals and erasure
	// certificates (a code: lower-case letters, digits, '.', '_', '-');
	// Name when empty.
	Source string
	// Description says where the data came from (Art. 15(1)(g)). Required
	// to register the table as a source.
	Description string
	// Purposes are the IDs of the registered purposes the rows serve.
	// Required to register the table as a source.
	Purposes []string

	// Namespace names the crypto-shredding namespace the rows are sealed
	// in, one of Config.Namespaces; "app" when empty.
	Namespace string
	// Keys seals and opens the rows. Leave it nil for a table passed in
	// Config.Sources: Open sets the kit's Shredder of Namespace. Set it to
	// use a table without a kit.
	Keys *shred.Shredder

	// KeepRows makes an erasure keep the subject's rows — others refer to
	// them, or their other columns must be kept — and overwrite each
	// personal column with its field's replace= text (or its zero value)
	// and each blind index with NULL, instead of deleting the rows. The
	// subject's ID stays in its column, for the rows that refer to it.
	KeepRows bool
	// Retain, when set, tells whether an exception of Art. 17(3) keeps the
	// subject's rows whole (see rights.Retainer); the erasure then leaves
	// the table, and the namespace's key, alone.
	Retain func(ctx context.Context, subject string) (rights.Exemption, bool, error)
}

// Table is a SQL table whose rows are values of a pii-tagged struct type
// T: every personal field that is not plain is sealed on every write and
// opened on every read, so code that writes through it cannot store
// personal data in clear.
//
// Columns come from the fields' db tags, or from their names in
// snake_case; db:"-" leaves a field out. Options after the column name:
//
//	db:"email,lookup"   a blind index of the value in column email_bidx,
//	                    kept in step with every write (Table.Lookup)
//	db:"email,unique"   the same, and no two rows may share the value:
//	                    declare email_bidx UNIQUE (the database enforces it)
//
// A table is a rights.Source by itself: an access or portability export
// reads the subject's rows (the desk labels their categories and origins
// and applies the Art. 20 filter), an erasure deletes them (or, with
// KeepRows, overwrites their personal columns), and a rectification (Art.
// 16) corrects the fields of a category. Register it by passing it in
// Config.Sources.
//
// Every method joins the caller's transaction carried in the context
// (WithTx), as does the key created for a subject met for the first time.
// A write that would break a unique blind index or the primary key fails
// with ErrDuplicate, and leaves the caller's transaction usable. A table
// is safe for concurrent use.
type Table[T any] struct {
	cfg     TableConfig
	typ     reflect.Type
	db      *sqldb.DB
	keys    atomic.Pointer[shred.Shredder]
	cols    []column
	subject int // index in cols
	key     int // index in cols
	lookups []int
	// sealedPtrs tells whether a sealed field is a pointer.
	sealedPtrs bool
	q          tableQueries
}

// column is one column of a table and the field it holds.
type column struct {
	name   string
	field  reflect.StructField
	pii    *pii.Field // nil for a field that is not subject or personal
	sealed bool       // personal and not plain
	index  string     // the blind index column; "" when none
	unique bool
}

type tableQueries struct {
	columns, insert, get, bySubject, exists, deleteBySubject, keep string
}

// NewTable returns the table of T's rows in the SQL table cfg.Name on db.
// It checks T's tags (pii and db), the configuration, and that every
// column exists; a fault is an error naming the type and the field,
// matching ErrInvalidTable (and pii.ErrInvalidTag for a pii tag).
func NewTable[T any](ctx context.Context, db *sql.DB, cfg TableConfig) (*Table[T], error) {
	typ := reflect.TypeFor[T]()
	fail := func(format string, args ...any) error {
		return fmt.Errorf("gdprkit: table %s of %v: %s: %w", cfg.Name, typ, fmt.Sprintf(format, args...), ErrInvalidTable)
	}
	if typ.Kind() != reflect.Struct {
		return nil, fail("%v is not a struct type", typ)
	}
	if !identifier(cfg.Name, true) {
		return nil, fail("TableConfig.Name %q is not an SQL identifier", cfg.Name)
	}
	s, err := pii.SchemaOf(typ)
	if err != nil {
		return nil, fmt.Errorf("gdprkit: table %s: %w: %w", cfg.Name, ErrInvalidTable, err)
	}
	d, err := sqldb.Open(db)
	if err != nil {
		return nil, fmt.Errorf("gdprkit: table %s: %w", cfg.Name, err)
	}
	if cfg.Namespace == "" {
		cfg.Namespace = "app"
	}
	if cfg.Source == "" {
		cfg.Source = strings.ToLower(cfg.Name)
	}
	t := &Table[T]{cfg: cfg, typ: typ, db: d, subject: -1, key: -1}
	if cfg.Keys != nil {
		t.keys.Store(cfg.Keys)
	}
	names := map[string]string{}
	for i := range typ.NumField() {
		sf := typ.Field(i)
		tag, hasTag := sf.Tag.Lookup(TagKeyDB)
		if !sf.IsExported() || tag == "-" {
			continue
		}
		c := column{field: sf}
		name, opts, _ := strings.Cut(tag, ",")
		if !hasTag || name == "" {
			name = snake(sf.Name)
		}
		if !identifier(name, false) {
			return nil, fail("field %s: column %q is not an SQL identifier", sf.Name, name)
		}
		c.name = name
		if f, ok := s.Field(sf.Name); ok {
			c.pii = f
			if f.Tag.Group != "" {
				return nil, fail("field %s: group=%s: a table's rows have one data subject", sf.Name, f.Tag.Group)
			}
			c.sealed = f.Personal() && !f.Tag.Plain
		}
		for opt := range strings.SplitSeq(opts, ",") {
			switch opt {
			case "":
			case "lookup", "unique":
				if c.pii == nil || !c.pii.Personal() {
					return nil, fail("field %s: db option %q needs a personal field (a pii category)", sf.Name, opt)
				}
				c.index, c.unique = name+"_bidx", c.unique || opt == "unique"
			default:
				return nil, fail("field %s: unknown db option %q (lookup, unique)", sf.Name, opt)
			}
		}
		if err := columnType(sf.Type, c.sealed); err != nil {
			return nil, fail("field %s: %v", sf.Name, err)
		}
		for _, n := range []string{c.name, c.index} {
			if n == "" {
				continue
			}
			if other, dup := names[n]; dup {
				return nil, fail("field %s: column %q is also field %s's", sf.Name, n, other)
			}
			names[n] = sf.Name
		}
		if c.pii != nil && c.pii.Subject() {
			t.subject = len(t.cols)
		}
		if sf.Name == cfg.Key {
			t.key = len(t.cols)
		}
		if c.index != "" {
			t.lookups = append(t.lookups, len(t.cols))
		}
		t.sealedPtrs = t.sealedPtrs || c.sealed && sf.Type.Kind() == reflect.Pointer
		t.cols = append(t.cols, c)
	}
	switch {
	case t.subject < 0:
		return nil, fail("no pii:\"subject\" field with a column: a table's rows need their data subject")
	case cfg.Key == "":
		t.key = t.subject
	case t.key < 0:
		return nil, fail("TableConfig.Key: no field %s with a column", cfg.Key)
	}
	if t.cols[t.subject].field.Type.Kind() != reflect.String {
		return nil, fail("field %s: the subject field must be a string", t.cols[t.subject].field.Name)
	}
	t.prepare()
	if err := t.checkColumns(ctx); err != nil {
		return nil, err
	}
	return t, nil
}

// columnType checks that a field's type can be a column: a value
// database/sql binds and scans.
func columnType(ft reflect.Type, sealed bool) error {
	base := ft
	if base.Kind() == reflect.Pointer {
		base = base.Elem()
	}
	if sealed {
		if base.Kind() == reflect.String || base.Kind() == reflect.Slice && base.Elem().Kind() == reflect.Uint8 {
			return nil
		}
		return fmt.Errorf("%v cannot be sealed in a column (string or []byte; or tag it plain)", ft)
	}
	if reflect.PointerTo(base).Implements(scannerType) || base == timeType {
		return nil
	}
	switch base.Kind() {
	case reflect.String, reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return nil
	case reflect.Slice:
		if base.Elem().Kind() == reflect.Uint8 {
			return nil
		}
	}
	return fmt.Errorf("%v is not a column type (tag it db:\"-\" to leave it out)", ft)
}

var (
	scannerType = reflect.TypeFor[sql.Scanner]()
	timeType    = reflect.TypeFor[time.Time]()
)

// identifier reports whether s is a plain SQL identifier (letters, digits
// and '_', not starting with a digit); with dotted, schema.table too.
func identifier(s string, dotted bool) bool {
	if dotted {
		if a, b, ok := strings.Cut(s, "."); ok {
			return identifier(a, false) && identifier(b, false)
		}
	}
	if s == "" || s[0] >= '0' && s[0] <= '9' {
		return false
	}
	for _, r := range s {
		if r != '_' && !(r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r))) {
			return false
		}
	}
	return true
}

// snake turns a Go field name into a column name: CustomerID is
// customer_id.
func snake(name string) string {
	var b strings.Builder
	rs := []rune(name)
	for i, r := range rs {
		if unicode.IsUpper(r) {
			if i > 0 && (unicode.IsLower(rs[i-1]) || i+1 < len(rs) && unicode.IsLower(rs[i+1])) && rs[i-1] != '_' {
				b.WriteByte('_')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// prepare writes the table's statements.
func (t *Table[T]) prepare() {
	var cols, all, marks []string
	for _, c := range t.cols {
		cols = append(cols, c.name)
		all, marks = append(all, c.name), append(marks, "?")
		if c.index != "" {
			all, marks = append(all, c.index), append(marks, "?")
		}
	}
	r, list := t.db.Dialect.Rebind, strings.Join(cols, ", ")
	t.q.columns = list
	t.q.insert = r("INSERT INTO " + t.cfg.Name + " (" + strings.Join(all, ", ") + ") VALUES (" + strings.Join(marks, ", ") + ") ON CONFLICT DO NOTHING")
	t.q.get = r("SELECT " + list + " FROM " + t.cfg.Name + " WHERE " + t.cols[t.key].name + " = ?")
	t.q.bySubject = r("SELECT " + list + " FROM " + t.cfg.Name + " WHERE " + t.cols[t.subject].name + " = ?")
	t.q.exists = r("SELECT 1 FROM " + t.cfg.Name + " WHERE " + t.cols[t.subject].name + " = ? LIMIT 1")
	t.q.deleteBySubject = r("DELETE FROM " + t.cfg.Name + " WHERE " + t.cols[t.subject].name + " = ?")
	var set []string
	for _, c := range t.cols {
		if c.pii != nil && c.pii.Personal() {
			set = append(set, c.name+" = ?")
			if c.index != "" {
				set = append(set, c.index+" = NULL")
			}
		}
	}
	if len(set) > 0 {
		t.q.keep = r("UPDATE " + t.cfg.Name + " SET " + strings.Join(set, ", ") + " WHERE " + t.cols[t.subject].name + " = ?")
	}
}

// checkColumns checks that the table and every column exist, naming the
// field of the first missing one.
func (t *Table[T]) checkColumns(ctx context.Context) error {
	probe := func(cols string) error {
		rows, err := t.db.QueryContext(ctx, "SELECT "+cols+" FROM "+t.cfg.Name+" WHERE 1 = 0")
		if err != nil {
			return err
		}
		return rows.Close()
	}
	var all []string
	for _, c := range t.cols {
		all = append(all, c.name)
		if c.index != "" {
			all = append(all, c.index)
		}
	}
	err := probe(strings.Join(all, ", "))
	if err == nil {
		return nil
	}
	for _, c := range t.cols {
		for _, n := range []string{c.name, c.index} {
			if n != "" && probe(n) != nil {
				return fmt.Errorf("gdprkit: table %s of %v: field %s: no column %s: %w", t.cfg.Name, t.typ, c.field.Name, n, ErrInvalidTable)
			}
		}
	}
	return fmt.Errorf("gdprkit: table %s of %v: %w: %w", t.cfg.Name, t.typ, ErrInvalidTable, err)
}

// Columns returns the table's columns in the order Scan reads them, for
// queries of your own: "SELECT " + t.Columns() + " FROM ...".
func (t *Table[T]) Columns() string { return t.q.columns }

// shredder returns the table's keys.
func (t *Table[T]) shredder() (*shred.Shredder, error) {
	if k := t.keys.Load(); k != nil {
		return k, nil
	}
	return nil, fmt.Errorf("gdprkit: table %s: %w", t.cfg.Name, ErrUnbound)
}

// bind gives a table passed in Config.Sources the kit's keys.
func (t *Table[T]) bind(ctx context.Context, k *Kit) error {
	if t.db.DB != k.db {
		return fmt.Errorf("gdprkit: table %s is on another *sql.DB than the kit: %w", t.cfg.Name, ErrInvalidConfig)
	}
	keys := k.Shredder(t.cfg.Namespace)
	if keys == nil {
		return fmt.Errorf("gdprkit: table %s: namespace %q is not in Config.Namespaces: %w", t.cfg.Name, t.cfg.Namespace, ErrInvalidConfig)
	}
	// A table bound before (its own Keys, or a kit opened earlier on the
	// same database) keeps its keys: they are the same keys.
	if !t.keys.CompareAndSwap(nil, keys) {
		keys = t.keys.Load()
	}
	if len(t.lookups) > 0 {
		// The blind-index key is read (or made) now, outside any caller's
		// transaction.
		if _, err := keys.Tokenizer(ctx); err != nil {
			return fmt.Errorf("gdprkit: table %s: %w", t.cfg.Name, err)
		}
	}
	return nil
}

// binder is a source Open binds to the kit.
type binder interface {
	bind(ctx context.Context, k *Kit) error
}

// Insert seals a copy of *v and inserts it as a new row, with its blind
// indexes; *v is left as it was. A row with the same key or unique value
// is ErrDuplicate, and the caller's transaction is not aborted by it.
func (t *Table[T]) Insert(ctx context.Context, v *T) error {
	keys, err := t.shredder()
	if err != nil {
		return err
	}
	row := t.copyOf(v)
	if err := keys.Seal(ctx, &row); err != nil {
		return fmt.Errorf("gdprkit: table %s: insert: %w", t.cfg.Name, err)
	}
	args, err := t.args(ctx, keys, reflect.ValueOf(v).Elem(), reflect.ValueOf(&row).Elem(), nil)
	if err != nil {
		return err
	}
	res, err := t.db.ExecContext(ctx, t.q.insert, args...)
	if err != nil {
		return t.writeErr("insert", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return t.writeErr("insert", err)
	} else if n == 0 {
		return fmt.Errorf("gdprkit: table %s: insert: %w%s", t.cfg.Name, ErrDuplicate, t.uniqueNames())
	}
	return nil
}

// copyOf returns a copy of *v that Seal may change without changing *v:
// the targets of pointer fields to be sealed are copied too.
func (t *Table[T]) copyOf(v *T) T {
	row := *v
	if t.sealedPtrs {
		rv := reflect.ValueOf(&row).Elem()
		for _, c := range t.cols {
			if f := rv.Field(c.field.Index[0]); c.sealed && f.Kind() == reflect.Pointer && !f.IsNil() {
				p := reflect.New(f.Type().Elem())
				p.Elem().Set(f.Elem())
				f.Set(p)
			}
		}
	}
	return row
}

// args returns the values of the columns in cols (every column when nil),
// each followed by its blind index: sealed values from sealed, indexes of
// the values in clear.
func (t *Table[T]) args(ctx context.Context, keys *shred.Shredder, clear, sealed reflect.Value, cols []int) ([]any, error) {
	n := len(t.cols) + len(t.lookups)
	if cols != nil {
		n = 2 * len(cols)
	}
	args := make([]any, 0, n)
	add := func(i int) error {
		c := &t.cols[i]
		args = append(args, sealed.Field(c.field.Index[0]).Interface())
		if c.index != "" {
			idx, err := t.blindIndex(ctx, keys, c, clear.Field(c.field.Index[0]))
			if err != nil {
				return err
			}
			args = append(args, idx)
		}
		return nil
	}
	if cols == nil {
		for i := range t.cols {
			if err := add(i); err != nil {
				return nil, err
			}
		}
		return args, nil
	}
	for _, i := range cols {
		if err := add(i); err != nil {
			return nil, err
		}
	}
	return args, nil
}

// blindIndex returns the blind index of a value in clear; NULL for an
// empty one.
func (t *Table[T]) blindIndex(ctx context.Context, keys *shred.Shredder, c *column, v reflect.Value) (any, error) {
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return nil, nil
		}
		v = v.Elem()
	}
	var s string
	if v.Kind() == reflect.String {
		s = v.String()
	} else {
		s = string(v.Bytes())
	}
	if s == "" {
		return nil, nil
	}
	idx, err := keys.BlindIndex(ctx, c.pii.Category(), s)
	if err != nil {
		return nil, fmt.Errorf("gdprkit: table %s: field %s: %w", t.cfg.Name, c.field.Name, err)
	}
	return idx, nil
}

func (t *Table[T]) uniqueNames() string {
	var names []string
	for _, i := range t.lookups {
		if t.cols[i].unique {
			names = append(names, t.cols[i].field.Name)
		}
	}
	if len(names) == 0 {
		return " (key " + t.cols[t.key].field.Name + ")"
	}
	return " (key " + t.cols[t.key].field.Name + " or " + strings.Join(names, ", ") + ")"
}

func (t *Table[T]) writeErr(op string, err error) error {
	if sqldb.Unique(err) {
		return fmt.Errorf("gdprkit: table %s: %s: %w%s: %w", t.cfg.Name, op, ErrDuplicate, t.uniqueNames(), err)
	}
	return fmt.Errorf("gdprkit: table %s: %s: %w", t.cfg.Name, op, err)
}

// Update seals a copy of *v and writes the named fields (Go names; every
// field but the key when none is named) to the row with v's key, with
// their blind indexes. It reports ErrNotFound when no row has the key.
func (t *Table[T]) Update(ctx context.Context, v *T, fields ...string) error {
	keys, err := t.shredder()
	if err != nil {
		return err
	}
	cols, err := t.fieldCols(fields)
	if err != nil {
		return err
	}
	row := t.copyOf(v)
	if err := keys.Seal(ctx, &row); err != nil {
		return fmt.Errorf("gdprkit: table %s: update: %w", t.cfg.Name, err)
	}
	args, err := t.args(ctx, keys, reflect.ValueOf(v).Elem(), reflect.ValueOf(&row).Elem(), cols)
	if err != nil {
		return err
	}
	args = append(args, reflect.ValueOf(v).Elem().Field(t.cols[t.key].field.Index[0]).Interface())
	n, err := t.guarded(ctx, "update", t.setQuery(cols, t.cols[t.key].name), args)
	if err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("gdprkit: table %s: update: %w", t.cfg.Name, ErrNotFound)
	}
	return nil
}

// fieldCols returns the columns of the named fields; every column but the
// key for none.
func (t *Table[T]) fieldCols(fields []string) ([]int, error) {
	var cols []int
	if len(fields) == 0 {
		for i := range t.cols {
			if i != t.key {
				cols = append(cols, i)
			}
		}
		return cols, nil
	}
next:
	for _, f := range fields {
		for i := range t.cols {
			if t.cols[i].field.Name == f {
				cols = append(cols, i)
				continue next
			}
		}
		return nil, fmt.Errorf("gdprkit: table %s of %v: no field %s with a column: %w", t.cfg.Name, t.typ, f, ErrInvalidTable)
	}
	return cols, nil
}

// setQuery returns UPDATE ... SET the columns (and their indexes) WHERE
// where = ?.
func (t *Table[T]) setQuery(cols []int, where string) string {
	var set []string
	for _, i := range cols {
		set = append(set, t.cols[i].name+" = ?")
		if t.cols[i].index != "" {
			set = append(set, t.cols[i].index+" = ?")
		}
	}
	return t.db.Dialect.Rebind("UPDATE " + t.cfg.Name + " SET " + strings.Join(set, ", ") + " WHERE " + where + " = ?")
}

func (t *Table[T]) exec(ctx context.Context, op, query string, args []any) (int64, error) {
	res, err := t.db.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, t.writeErr(op, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, t.writeErr(op, err)
	}
	return n, nil
}

// guarded is exec for an UPDATE that may break a unique constraint: in
// the caller's transaction it runs behind a savepoint, so that a
// duplicate (ErrDuplicate) does not abort the transaction on PostgreSQL.
func (t *Table[T]) guarded(ctx context.Context, op, query string, args []any) (int64, error) {
	tx := t.db.Tx(ctx)
	if tx == nil {
		return t.exec(ctx, op, query, args)
	}
	if _, err := tx.ExecContext(ctx, "SAVEPOINT gdprkit_table"); err != nil {
		return 0, t.writeErr(op, err)
	}
	n, err := t.exec(ctx, op, query, args)
	if err != nil {
		if _, rerr := tx.ExecContext(ctx, "ROLLBACK TO SAVEPOINT gdprkit_table"); rerr != nil {
			return 0, errors.Join(err, t.writeErr(op, rerr))
		}
	}
	if _, rerr := tx.ExecContext(ctx, "RELEASE SAVEPOINT gdprkit_table"); rerr != nil && err == nil {
		return 0, t.writeErr(op, rerr)
	}
	return n, err
}

// Delete deletes the row with the key. Deleting a missing row is no error.
func (t *Table[T]) Delete(ctx context.Context, key any) error {
	_, err := t.exec(ctx, "delete", t.db.Dialect.Rebind("DELETE FROM "+t.cfg.Name+" WHERE "+t.cols[t.key].name+" = ?"), []any{key})
	return err
}

// Get returns the row with the key, opened. No row is ErrNotFound. The
// row of an erased subject comes with its personal fields set to their
// replace= text or zero value, and an error matching shred.ErrErased.
func (t *Table[T]) Get(ctx context.Context, key any) (T, error) {
	var v T
	keys, err := t.shredder()
	if err != nil {
		return v, err
	}
	err = t.db.QueryRowContext(ctx, t.q.get, key).Scan(t.targets(&v)...)
	if errors.Is(err, sql.ErrNoRows) {
		return v, fmt.Errorf("gdprkit: table %s: %w: %w", t.cfg.Name, ErrNotFound, err)
	}
	if err != nil {
		return v, fmt.Errorf("gdprkit: table %s: get: %w", t.cfg.Name, err)
	}
	return v, t.open(ctx, keys, &v)
}

func (t *Table[T]) open(ctx context.Context, keys *shred.Shredder, v *T) error {
	if err := keys.Open(ctx, v); err != nil {
		return fmt.Errorf("gdprkit: table %s: %w", t.cfg.Name, err)
	}
	return nil
}

// targets returns pointers to v's column fields, in column order.
func (t *Table[T]) targets(v *T) []any {
	rv := reflect.ValueOf(v).Elem()
	out := make([]any, len(t.cols))
	for i := range t.cols {
		out[i] = rv.Field(t.cols[i].field.Index[0]).Addr().Interface()
	}
	return out
}

// BySubject returns the subject's rows, opened (see Get for an erased
// subject).
func (t *Table[T]) BySubject(ctx context.Context, subject string) ([]T, error) {
	return t.query(ctx, t.q.bySubject, subject)
}

// Lookup returns the rows whose field (a Go name, tagged db:",lookup" or
// db:",unique") holds value, found by its blind index, opened.
func (t *Table[T]) Lookup(ctx context.Context, field, value string) ([]T, error) {
	keys, err := t.shredder()
	if err != nil {
		return nil, err
	}
	for _, i := range t.lookups {
		c := &t.cols[i]
		if c.field.Name != field {
			continue
		}
		idx, err := keys.BlindIndex(ctx, c.pii.Category(), value)
		if err != nil {
			return nil, fmt.Errorf("gdprkit: table %s: lookup %s: %w", t.cfg.Name, field, err)
		}
		return t.query(ctx, t.db.Dialect.Rebind("SELECT "+t.q.columns+" FROM "+t.cfg.Name+" WHERE "+c.index+" = ?"), idx)
	}
	return nil, fmt.Errorf("gdprkit: table %s of %v: field %s has no blind index (db:\",lookup\"): %w", t.cfg.Name, t.typ, field, ErrInvalidTable)
}

// Select returns the rows that match where (SQL after WHERE, with '?'
// placeholders for args), opened. Personal columns hold sealed text: match
// them through Lookup, not here.
func (t *Table[T]) Select(ctx context.Context, where string, args ...any) ([]T, error) {
	return t.query(ctx, t.db.Dialect.Rebind("SELECT "+t.q.columns+" FROM "+t.cfg.Name+" WHERE "+where), args...)
}

func (t *Table[T]) query(ctx context.Context, q string, args ...any) ([]T, error) {
	keys, err := t.shredder()
	if err != nil {
		return nil, err
	}
	rows, err := t.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("gdprkit: table %s: query: %w", t.cfg.Name, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var v T
		if err := rows.Scan(t.targets(&v)...); err != nil {
			return nil, fmt.Errorf("gdprkit: table %s: scan: %w", t.cfg.Name, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("gdprkit: table %s: query: %w", t.cfg.Name, err)
	}
	// Opened once the rows are read: in a transaction, the key store's
	// queries share its connection, which serves one query at a time.
	rows.Close()
	var errs []error
	for i := range out {
		if err := t.open(ctx, keys, &out[i]); err != nil {
			errs = append(errs, err)
		}
	}
	return out, errors.Join(errs...)
}

// Scan reads the current row of rows, a query of your own selecting
// Columns(), and opens it (see Get for an erased subject). Opening may
// read a key from the key store: when rows belong to a transaction the
// context carries, on PostgreSQL, read every row first (Select does), as
// the transaction's connection serves one query at a time.
func (t *Table[T]) Scan(ctx context.Context, rows *sql.Rows) (T, error) {
	var v T
	keys, err := t.shredder()
	if err != nil {
		return v, err
	}
	if err := rows.Scan(t.targets(&v)...); err != nil {
		return v, fmt.Errorf("gdprkit: table %s: scan: %w", t.cfg.Name, err)
	}
	return v, t.open(ctx, keys, &v)
}

// Describe implements rights.Source.
func (t *Table[T]) Describe() rights.SourceInfo {
	return rights.SourceInfo{Name: t.cfg.Source, Description: t.cfg.Description, Purposes: t.cfg.Purposes, Namespace: t.cfg.Namespace}
}

// Export implements rights.Source: it emits the subject's rows, opened; an
// erased subject's rows come with their replace= texts.
func (t *Table[T]) Export(ctx context.Context, subject string, emit func(any) error) error {
	rows, err := t.BySubject(ctx, subject)
	if err != nil && !errors.Is(err, shred.ErrErased) {
		return err
	}
	for i := range rows {
		if err := emit(&rows[i]); err != nil {
			return err
		}
	}
	return nil
}

// Erase implements rights.Source: it deletes the subject's rows or, with
// TableConfig.KeepRows, overwrites their personal columns with their
// replace= texts (or zero values) and their blind indexes with NULL.
func (t *Table[T]) Erase(ctx context.Context, subject string) error {
	if !t.cfg.KeepRows {
		_, err := t.exec(ctx, "erase", t.q.deleteBySubject, []any{subject})
		return err
	}
	if t.q.keep == "" {
		return nil
	}
	var args []any
	for _, c := range t.cols {
		if c.pii != nil && c.pii.Personal() {
			args = append(args, replacement(c))
		}
	}
	_, err := t.exec(ctx, "erase", t.q.keep, append(args, subject))
	return err
}

// replacement returns what an erased personal column holds: the replace=
// text of a string field, the zero value otherwise (NULL for a pointer).
func replacement(c column) any {
	ft := c.field.Type
	if ft.Kind() == reflect.Pointer {
		if c.pii.Tag.Replace != "" && ft.Elem().Kind() == reflect.String {
			return c.pii.Tag.Replace
		}
		return nil
	}
	if ft.Kind() == reflect.String {
		return c.pii.Tag.Replace
	}
	return reflect.Zero(ft).Interface()
}

// Retain implements rights.Retainer with TableConfig.Retain.
func (t *Table[T]) Retain(ctx context.Context, subject string) (rights.Exemption, bool, error) {
	if t.cfg.Retain == nil {
		return rights.Exemption{}, false, nil
	}
	return t.cfg.Retain(ctx, subject)
}

// Rectify implements rights.Rectifier (Art. 16): each correction's value
// replaces, in every row of the subject, the fields of its category or of
// a category within it (string and []byte fields), sealed, with their
// blind indexes.
func (t *Table[T]) Rectify(ctx context.Context, subject string, corrections []rights.Correction) error {
	keys, err := t.shredder()
	if err != nil {
		return err
	}
	var v T
	rv := reflect.ValueOf(&v).Elem()
	rv.Field(t.cols[t.subject].field.Index[0]).SetString(subject)
	var cols []int
	for i, c := range t.cols {
		if c.pii == nil || !c.pii.Personal() {
			continue
		}
		for _, corr := range corrections {
			if corr.Category == "" || !c.pii.Category().Within(corr.Category) || !setText(rv.Field(c.field.Index[0]), corr.Value) {
				continue
			}
			cols = append(cols, i)
			break
		}
	}
	if len(cols) == 0 {
		return nil
	}
	// Sealing would give a subject without rows a key: leave such a
	// subject alone.
	var one int
	err = t.db.QueryRowContext(ctx, t.q.exists, subject).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("gdprkit: table %s: rectify: %w", t.cfg.Name, err)
	}
	row := t.copyOf(&v)
	if err := keys.Seal(ctx, &row); err != nil {
		return fmt.Errorf("gdprkit: table %s: rectify: %w", t.cfg.Name, err)
	}
	args, err := t.args(ctx, keys, rv, reflect.ValueOf(&row).Elem(), cols)
	if err != nil {
		return err
	}
	_, err = t.guarded(ctx, "rectify", t.setQuery(cols, t.cols[t.subject].name), append(args, subject))
	return err
}

// setText sets a string or []byte field (or a pointer to one) to s.
func setText(f reflect.Value, s string) bool {
	if f.Kind() == reflect.Pointer {
		p := reflect.New(f.Type().Elem())
		if !setText(p.Elem(), s) {
			return false
		}
		f.Set(p)
		return true
	}
	switch {
	case f.Kind() == reflect.String:
		f.SetString(s)
	case f.Kind() == reflect.Slice && f.Type().Elem().Kind() == reflect.Uint8:
		f.SetBytes([]byte(s))
	default:
		return false
	}
	return true
}

// The interfaces a table implements.
var (
	_ rights.Source = (*Table[struct {
		ID string `pii:"subject"`
	}])(nil)
	_ rights.Rectifier = (*Table[struct {
		ID string `pii:"subject"`
	}])(nil)
	_ rights.Retainer = (*Table[struct {
		ID string `pii:"subject"`
	}])(nil)
)
