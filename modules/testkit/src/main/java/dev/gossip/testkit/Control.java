package dev.gossip.testkit;

import dev.gossip.core.MessageId;
import dev.gossip.core.NodeId;
import dev.gossip.pekko.MetricsSnapshot;
import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
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
 */
final class Control {

  private Control() {}

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
