package roombus.embedded;

import de.bwaldvogel.mongo.bson.Document;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The embedded store's write-ahead journal, {@code roombus.journal} beside {@code roombus.mv}:
 * every writing command, in the order the store ran them, appended to the file before the command
 * runs and so before it is answered. The store file itself is committed only now and then (a
 * checkpoint, {@link EmbeddedBackend}); what a process that dies had acknowledged since is in the
 * journal, and the next start runs those commands again, in order, on the store as its last
 * checkpoint left it.
 *
 * <p>A record: its length and CRC-32C (4 bytes each), then its number (8 bytes), the database and
 * the command's name (each a length and UTF-8 bytes) and the command's document as BSON. Numbers
 * grow by one from record to record and across checkpoints; the store records, with each
 * checkpoint, the number of the last command it holds, so a journal that a crash left behind after
 * a checkpoint is not run twice. A record cut short (the process died while writing it: that
 * command was never answered) ends the journal.
 */
final class Journal implements AutoCloseable {

  /** One journaled command. */
  record Entry(long number, String database, String command, Document query) {}

  private static final int HEADER = 8;

  private final Path path;
  private final FileChannel file;
  private long last;
  private long bytes;

  private Journal(Path path, FileChannel file, long bytes) {
    this.path = path;
    this.file = file;
    this.bytes = bytes;
  }

  /** Opens (or creates) the journal; read it with {@link #entriesAfter} before appending. */
  static Journal open(Path path) throws IOException {
    FileChannel file =
        FileChannel.open(
            path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    return new Journal(path, file, file.size());
  }

  Path path() {
    return path;
  }

  /**
   * The commands numbered above {@code through}, in order, up to the first record that is cut short
   * or damaged (the rest of the file is dropped: it was never acknowledged). Later appends are
   * numbered on from the highest number seen, or from {@code through}.
   */
  List<Entry> entriesAfter(long through) throws IOException {
    List<Entry> entries = new ArrayList<>();
    long highest = through;
    long position = 0;
    long size = file.size();
    ByteBuffer header = ByteBuffer.allocate(HEADER);
    while (position + HEADER <= size) {
      header.clear();
      readFully(header, position);
      int length = header.getInt(0);
      int checksum = header.getInt(4);
      if (length <= 0 || position + HEADER + length > size) break;
      ByteBuffer body = ByteBuffer.allocate(length);
      readFully(body, position + HEADER);
      if (checksum != crc(body.array(), length)) break;
      Entry entry = decode(body);
      highest = Math.max(highest, entry.number());
      if (entry.number() > through) entries.add(entry);
      position += HEADER + length;
    }
    file.truncate(position);
    file.position(position);
    bytes = position;
    last = highest;
    return entries;
  }

  /**
   * Appends one command and hands it to the operating system (a process killed after this returns
   * cannot lose it). Callers append and run commands one at a time, in the same order.
   */
  long append(String database, String command, Document query) throws IOException {
    long number = last + 1;
    byte[] record = encode(number, database, command, query);
    ByteBuffer buffer = ByteBuffer.wrap(record);
    while (buffer.hasRemaining()) file.write(buffer);
    last = number;
    bytes += record.length;
    return number;
  }

  /** The number of the last command appended (or read). */
  long last() {
    return last;
  }

  /** Bytes in the journal since it was last emptied. */
  long bytes() {
    return bytes;
  }

  /** Empties the journal, once the store file holds every command in it. */
  void clear() throws IOException {
    file.truncate(0);
    file.position(0);
    bytes = 0;
  }

  @Override
  public void close() throws IOException {
    file.close();
  }

  private static byte[] encode(long number, String database, String command, Document query) {
    byte[] bson = Bson.encode(query);
    ByteArrayOutputStream out = new ByteArrayOutputStream(HEADER + 32 + bson.length);
    try (DataOutputStream data = new DataOutputStream(out)) {
      data.writeInt(0); // length and checksum, filled in below
      data.writeInt(0);
      data.writeLong(number);
      writeString(data, database);
      writeString(data, command);
      data.write(bson);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }
    byte[] record = out.toByteArray();
    int length = record.length - HEADER;
    ByteBuffer.wrap(record).putInt(0, length).putInt(4, crc(record, HEADER, length));
    return record;
  }

  private static Entry decode(ByteBuffer body) {
    body.rewind();
    long number = body.getLong();
    String database = readString(body);
    String command = readString(body);
    byte[] bson = Arrays.copyOfRange(body.array(), body.position(), body.limit());
    return new Entry(number, database, command, Bson.decode(bson));
  }

  private static void writeString(DataOutputStream data, String value) throws IOException {
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    data.writeInt(utf8.length);
    data.write(utf8);
  }

  private static String readString(ByteBuffer body) {
    int length = body.getInt();
    String value = new String(body.array(), body.position(), length, StandardCharsets.UTF_8);
    body.position(body.position() + length);
    return value;
  }

  private static int crc(byte[] bytes, int length) {
    return crc(bytes, 0, length);
  }

  private static int crc(byte[] bytes, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, offset, length);
    return (int) crc.getValue();
  }

  private void readFully(ByteBuffer buffer, long position) throws IOException {
    while (buffer.hasRemaining()) {
      int read = file.read(buffer, position + buffer.position());
      if (read < 0) throw new IOException("unexpected end of " + path);
    }
  }
}
