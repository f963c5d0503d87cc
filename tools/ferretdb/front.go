package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// Why a front: FerretDB v1 applies an update by reading the document, applying the operators in Go and
// writing the whole document back by `_id`, outside any transaction. Two racing `updateOne({_id, version: 0})`
// can then both match, `$inc` loses counts, and agenda's `findOneAndUpdate` lock can be taken twice. MongoDB
// makes every single-document write atomic. The front restores that promise: clients talk to it, it forwards
// every message to FerretDB, and lets only one write command be in flight at a time across all connections,
// so a write's read-modify-write can no longer interleave with another write. Reads pass straight through.
// FerretDB's SQLite backend has a single writer anyway, so writes lose little by waiting their turn here.

const (
	headerLen = 16
	// MongoDB's maxMessageSizeBytes, which FerretDB also announces in `hello`.
	maxMessageLen = 48_000_000

	opQuery = 2004
	opMsg   = 2013

	opMsgChecksumPresent = 1 << 0
	opMsgMoreToCome      = 1 << 1

	// A connection's message buffer above this size is given back after the message, so a connection that
	// once sent a large batch does not keep megabytes for the rest of its life.
	keepBufferLen = 1 << 20
)

// readCommands are the commands that change nothing; every other command (and any message the front cannot
// read) waits for the write gate. `aggregate` is a read unless its pipeline writes ($out, $merge).
var readCommands = map[string]bool{
	"find": true, "getMore": true, "count": true, "distinct": true, "aggregate": true,
	"listCollections": true, "listDatabases": true, "listIndexes": true, "killCursors": true,
	"hello": true, "isMaster": true, "ismaster": true, "ping": true, "buildInfo": true, "buildinfo": true,
	"serverStatus": true, "dbStats": true, "collStats": true, "dataSize": true, "connectionStatus": true,
	"getParameter": true, "getLog": true, "getCmdLineOpts": true, "hostInfo": true, "whatsmyuri": true,
	"listCommands": true, "explain": true, "endSessions": true, "saslStart": true, "saslContinue": true,
	"logout": true, "getFreeMonitoringStatus": true, "getnonce": true,
}

// frontStats counts what went through the front; logged when it stops.
type frontStats struct {
	connections atomic.Int64
	reads       atomic.Int64
	writes      atomic.Int64
	refused     atomic.Int64
}

// front accepts MongoDB wire-protocol clients and forwards them to FerretDB on an internal address.
type front struct {
	dialBackend func(ctx context.Context) (net.Conn, error)
	logger      *slog.Logger
	// One write command in flight at a time, across all connections.
	writeGate sync.Mutex
	stats     frontStats
}

// serve accepts connections until ctx is done, then closes the listener and every open connection.
func (f *front) serve(ctx context.Context, ln net.Listener) error {
	var wg sync.WaitGroup
	var mu sync.Mutex
	open := map[net.Conn]struct{}{}
	go func() {
		<-ctx.Done()
		_ = ln.Close()
		mu.Lock()
		for c := range open {
			_ = c.Close()
		}
		mu.Unlock()
	}()
	defer wg.Wait()
	for {
		client, err := ln.Accept()
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				time.Sleep(10 * time.Millisecond)
				continue
			}
			return err
		}
		mu.Lock()
		open[client] = struct{}{}
		mu.Unlock()
		wg.Add(1)
		go func() {
			defer wg.Done()
			f.handle(ctx, client)
			mu.Lock()
			delete(open, client)
			mu.Unlock()
		}()
	}
}

// handle relays one client connection: one message at a time, each answered before the next is read, which is
// also how FerretDB itself serves a connection.
func (f *front) handle(ctx context.Context, client net.Conn) {
	defer client.Close()
	f.stats.connections.Add(1)
	defer f.stats.connections.Add(-1)

	backend, err := f.dialBackend(ctx)
	if err != nil {
		f.logger.WarnContext(ctx, "front: cannot reach FerretDB", slog.String("error", err.Error()))
		return
	}
	defer backend.Close()

	fromClient := bufio.NewReaderSize(client, 64<<10)
	toClient := bufio.NewWriterSize(client, 64<<10)
	fromBackend := bufio.NewReaderSize(backend, 64<<10)
	var msg []byte

	for {
		var header [headerLen]byte
		if _, err := io.ReadFull(fromClient, header[:]); err != nil {
			return
		}
		length := int64(int32(binary.LittleEndian.Uint32(header[0:4])))
		requestID := int32(binary.LittleEndian.Uint32(header[4:8]))
		if length < headerLen || length > maxMessageLen {
			// Refused before a byte of the body is read; the rest of the stream cannot be trusted, so the
			// connection ends after the answer, as MongoDB does.
			f.stats.refused.Add(1)
			f.logger.WarnContext(ctx, "front: message refused", slog.Int64("length", length))
			_, _ = toClient.Write(errorReply(requestID, fmt.Sprintf("message length %d is outside 16 … %d bytes", length, maxMessageLen), 10334, "BSONObjectTooLarge"))
			_ = toClient.Flush()
			return
		}
		if cap(msg) < int(length) {
			msg = make([]byte, length)
		}
		msg = msg[:length]
		copy(msg, header[:])
		if _, err := io.ReadFull(fromClient, msg[headerLen:]); err != nil {
			return
		}

		opCode := int32(binary.LittleEndian.Uint32(msg[12:16]))
		body := msg[headerLen:]
		write := isWrite(opCode, body)
		// A client that sets moreToCome wants no answer; FerretDB v1 answers every message anyway, so the
		// front reads that answer (which also tells when the write is done) and drops it.
		silent := opCode == opMsg && len(body) >= 4 && binary.LittleEndian.Uint32(body[0:4])&opMsgMoreToCome != 0

		if ok := f.relay(msg, write, silent, backend, fromBackend, toClient); !ok {
			return
		}
		if cap(msg) > keepBufferLen {
			msg = nil
		}
	}
}

// relay sends one message to FerretDB and copies its answer back; a write holds the gate until the answer
// is in. It reports false when either side is gone.
func (f *front) relay(msg []byte, write, silent bool, backend net.Conn, fromBackend *bufio.Reader, toClient *bufio.Writer) bool {
	if write {
		f.writeGate.Lock()
		defer f.writeGate.Unlock()
		f.stats.writes.Add(1)
	} else {
		f.stats.reads.Add(1)
	}
	if _, err := backend.Write(msg); err != nil {
		return false
	}
	for {
		var header [headerLen]byte
		if _, err := io.ReadFull(fromBackend, header[:]); err != nil {
			return false
		}
		length := int64(int32(binary.LittleEndian.Uint32(header[0:4])))
		if length < headerLen || length > maxMessageLen {
			return false
		}
		// The answer is streamed, not buffered: a large batch of documents goes through in 64 KiB pieces.
		var sink io.Writer = toClient
		if silent {
			sink = io.Discard
		}
		if _, err := sink.Write(header[:]); err != nil {
			return false
		}
		// The first 4 bytes of an OP_MSG body are its flags: an exhaust answer (moreToCome) is followed by more.
		var flags [4]byte
		opCode := int32(binary.LittleEndian.Uint32(header[12:16]))
		rest := length - headerLen
		more := false
		if opCode == opMsg && rest >= 4 {
			if _, err := io.ReadFull(fromBackend, flags[:]); err != nil {
				return false
			}
			if _, err := sink.Write(flags[:]); err != nil {
				return false
			}
			rest -= 4
			more = binary.LittleEndian.Uint32(flags[:])&opMsgMoreToCome != 0
		}
		if _, err := io.CopyN(sink, fromBackend, rest); err != nil {
			return false
		}
		if !more {
			break
		}
	}
	return toClient.Flush() == nil
}

// isWrite tells whether a message may change data. Only a command known to be a read is not; an unknown
// opcode or a body the front cannot parse counts as a write.
func isWrite(opCode int32, body []byte) bool {
	var doc []byte
	switch opCode {
	case opMsg:
		doc = opMsgCommand(body)
	case opQuery:
		doc = opQueryCommand(body)
	default:
		return true
	}
	if doc == nil {
		return true
	}
	name, ok := firstKey(doc)
	if !ok || !readCommands[name] {
		return true
	}
	if name == "aggregate" && (bytes.Contains(doc, []byte("$out\x00")) || bytes.Contains(doc, []byte("$merge\x00"))) {
		// A pipeline that writes; a mere string "$out" somewhere also lands here, which only costs a wait.
		return true
	}
	return false
}

// opMsgCommand returns the body document (section kind 0) of an OP_MSG, or nil.
func opMsgCommand(body []byte) []byte {
	if len(body) < 5 {
		return nil
	}
	flags := binary.LittleEndian.Uint32(body[0:4])
	end := len(body)
	if flags&opMsgChecksumPresent != 0 {
		end -= 4
	}
	for at := 4; at < end; {
		kind := body[at]
		at++
		if at+4 > end {
			return nil
		}
		size := int(int32(binary.LittleEndian.Uint32(body[at : at+4])))
		if size < 5 || at+size > end {
			return nil
		}
		if kind == 0 {
			return body[at : at+size]
		}
		if kind != 1 {
			return nil
		}
		at += size
	}
	return nil
}

// opQueryCommand returns the query document of a legacy OP_QUERY (the handshake of old drivers), or nil.
func opQueryCommand(body []byte) []byte {
	if len(body) < 4 {
		return nil
	}
	at := 4 // flags
	nul := bytes.IndexByte(body[at:], 0)
	if nul < 0 {
		return nil
	}
	at += nul + 1 + 8 // fullCollectionName, numberToSkip, numberToReturn
	if at+4 > len(body) {
		return nil
	}
	size := int(int32(binary.LittleEndian.Uint32(body[at : at+4])))
	if size < 5 || at+size > len(body) {
		return nil
	}
	return body[at : at+size]
}

// firstKey is the name of a BSON document's first element: a command's name.
func firstKey(doc []byte) (string, bool) {
	if len(doc) < 7 || doc[4] == 0 {
		return "", false
	}
	nul := bytes.IndexByte(doc[5:], 0)
	if nul < 0 {
		return "", false
	}
	return string(doc[5 : 5+nul]), true
}

// errorReply is an OP_MSG answer {ok: 0, errmsg, code, codeName} to request `responseTo`.
func errorReply(responseTo int32, errmsg string, code int32, codeName string) []byte {
	var doc bytes.Buffer
	doc.Write([]byte{0, 0, 0, 0})
	doc.WriteByte(0x01) // double
	doc.WriteString("ok\x00")
	_ = binary.Write(&doc, binary.LittleEndian, math.Float64bits(0))
	writeString := func(key, value string) {
		doc.WriteByte(0x02)
		doc.WriteString(key + "\x00")
		_ = binary.Write(&doc, binary.LittleEndian, int32(len(value)+1))
		doc.WriteString(value + "\x00")
	}
	writeString("errmsg", errmsg)
	doc.WriteByte(0x10) // int32
	doc.WriteString("code\x00")
	_ = binary.Write(&doc, binary.LittleEndian, code)
	writeString("codeName", codeName)
	doc.WriteByte(0)
	d := doc.Bytes()
	binary.LittleEndian.PutUint32(d[0:4], uint32(len(d)))

	msg := make([]byte, headerLen+4+1+len(d))
	binary.LittleEndian.PutUint32(msg[0:4], uint32(len(msg)))
	binary.LittleEndian.PutUint32(msg[4:8], 0)
	binary.LittleEndian.PutUint32(msg[8:12], uint32(responseTo))
	binary.LittleEndian.PutUint32(msg[12:16], opMsg)
	// flags (0), then section kind 0 and the document
	msg[headerLen+4] = 0
	copy(msg[headerLen+5:], d)
	return msg
}
