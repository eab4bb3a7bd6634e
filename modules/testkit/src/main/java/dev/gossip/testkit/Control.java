package dev.gossip.testkit;

import dev.gossip.core.MessageId;
import dev.gossip.core.NodeId;
import dev.gossip.pekko.MetricsSnapshot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The control channel between a {@link ProcessCluster} and one node process: one line of UTF-8 text
 * per message, fields separated by single spaces, over a loopback TCP connection.
 *
 * <p>Test to node: {@code join <seq> <contact,...|->}, {@code broadcast <seq> <base64>}, {@code
 * leave <seq>}, {@code metrics <seq>}, {@code block <seq> <from> <to>}, {@code heal <seq>}, {@code
 * drop <seq> <fraction>}, {@code delay <seq> <nanos> <jitter-nanos>}, {@code clear <seq>}, {@code
 * exit}. Node to test: {@code ready <node>}, {@code ok <seq> [value]}, {@code err <seq> <text>},
 * and the node's events with the wall-clock time they were published in microseconds: {@code
 * delivery <micros> <message> <hops> <base64>}, {@code up <micros> <peer>}, {@code down <micros>
 * <peer> <reason>}, {@code missed <micros> <count> <deliveries>}. A join is answered {@code ok
 * <seq> retrying} when no contact answered yet and the node goes on trying by itself.
 *
 * <p>A {@link NodeAgent} between a remote test and its node relays these lines and answers its own:
 * {@code start <seq> <name> <base64 config>} (answered {@code ok <seq> <pid> <base64 log path>}
 * once the node is up, then the node's {@code ready}), {@code clock <seq>} ({@code ok <seq>
 * <micros>}, the agent's wall clock), {@code signal <seq> STOP|CONT}, {@code kill <seq>} (SIGKILL;
 * the agent closes the connection once the node is gone) and {@code log <seq> <base64 text>}
 * ({@code ok <seq> <base64 lines>}, the node's log lines that contain the text).
 *
 * <p>Every line is at most {@link #MAX_LINE} bytes: {@link #readLine} skips a longer one whole and
 * reports it as {@link Rejected}, so a peer cannot grow this side's memory.
 */
final class Control {

  /** The longest line either side reads, in bytes: a broadcast of up to 256 KiB fits. */
  static final int MAX_LINE = 1 << 19;

  /** A line this side refuses: too long, or not a command it knows in the form it knows. */
  static final class Rejected extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    Rejected(String why) {
      super(why);
    }
  }

  private Control() {}

  /**
   * The next line of {@code in} without its end, or null at the end of the stream; a line longer
   * than {@link #MAX_LINE} is read to its end and dropped, and reported as {@link Rejected} so the
   * caller can count it and read on.
   */
  static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(128);
    long length = 0;
    for (int b = in.read(); ; b = in.read()) {
      if (b < 0) {
        return length == 0 ? null : line.toString(StandardCharsets.UTF_8);
      }
      if (b == '\n') {
        break;
      }
      if (++length <= MAX_LINE) {
        line.write(b);
      }
    }
    if (length > MAX_LINE) {
      throw new Rejected("a line of " + length + " bytes, more than " + MAX_LINE);
    }
    return line.toString(StandardCharsets.UTF_8);
  }

  static String nodeId(NodeId id) {
    return id.host() + "/" + id.port() + "/" + id.incarnation();
  }

  static NodeId nodeId(String text) {
    String[] parts = text.split("/", -1);
    if (parts.length != 3) {
      throw new IllegalArgumentException("not a node id: " + text);
    }
    return new NodeId(parts[0], Integer.parseInt(parts[1]), Long.parseLong(parts[2]));
  }

  static String messageId(MessageId id) {
    return nodeId(id.origin()) + "/" + id.sequence();
  }

  static MessageId messageId(String text) {
    int cut = text.lastIndexOf('/');
    if (cut < 0) {
      throw new IllegalArgumentException("not a message id: " + text);
    }
    return new MessageId(nodeId(text.substring(0, cut)), Long.parseLong(text.substring(cut + 1)));
  }

  static String bytes(byte[] bytes) {
    return bytes.length == 0 ? "-" : Base64.getEncoder().encodeToString(bytes);
  }

  static byte[] bytes(String text) {
    return text.equals("-") ? new byte[0] : Base64.getDecoder().decode(text);
  }

  /** The snapshot as {@code name=value} fields, maps as {@code key:value,...} ({@code -} empty). */
  static String metrics(MetricsSnapshot snapshot) {
    StringJoiner fields = new StringJoiner(" ");
    try {
      for (RecordComponent c : MetricsSnapshot.class.getRecordComponents()) {
        Object value = c.getAccessor().invoke(snapshot);
        String text;
        if (value instanceof Map<?, ?> map) {
          StringJoiner entries = new StringJoiner(",");
          map.forEach((k, v) -> entries.add(((Enum<?>) k).name() + ":" + v));
          text = map.isEmpty() ? "-" : entries.toString();
        } else {
          text = String.valueOf(value);
        }
        fields.add(c.getName() + "=" + text);
      }
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot read " + snapshot, e);
    }
    return fields.toString();
  }

  /** Reads {@link #metrics(MetricsSnapshot)}'s text back; a field it lacks is an error. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static MetricsSnapshot metrics(String text) {
    Map<String, String> fields = new HashMap<>();
    for (String field : text.split(" ")) {
      int eq = field.indexOf('=');
      if (eq > 0) {
        fields.put(field.substring(0, eq), field.substring(eq + 1));
      }
    }
    RecordComponent[] components = MetricsSnapshot.class.getRecordComponents();
    Object[] values = new Object[components.length];
    Class<?>[] types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      RecordComponent c = components[i];
      String value = fields.get(c.getName());
      if (value == null) {
        throw new IllegalArgumentException("metrics without " + c.getName() + ": " + text);
      }
      types[i] = c.getType();
      if (c.getType() == long.class) {
        values[i] = Long.parseLong(value);
      } else if (c.getType() == int.class) {
        values[i] = Integer.parseInt(value);
      } else if (c.getType() == double.class) {
        values[i] = Double.parseDouble(value);
      } else if (c.getType() == Map.class) {
        Class keys = (Class) ((ParameterizedType) c.getGenericType()).getActualTypeArguments()[0];
        Map map = new EnumMap(keys);
        if (!value.equals("-")) {
          for (String entry : value.split(",")) {
            int colon = entry.indexOf(':');
            map.put(
                Enum.valueOf(keys, entry.substring(0, colon)),
                Long.parseLong(entry.substring(colon + 1)));
          }
        }
        values[i] = map;
      } else {
        throw new IllegalStateException("no codec for " + c);
      }
    }
    try {
      Constructor<MetricsSnapshot> canonical = MetricsSnapshot.class.getConstructor(types);
      return canonical.newInstance(values);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot build metrics from " + text, e);
    }
  }
}
