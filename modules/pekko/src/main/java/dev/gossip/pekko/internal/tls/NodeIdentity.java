package dev.gossip.pekko.internal.tls;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The rule binding a certificate to a node address: if the certificate has URI subjectAltNames
 * {@code gossip://host:port}, the address must equal one of them; otherwise its host must equal a
 * DNS or IP subjectAltName (any port).
 */
final class NodeIdentity {

  private static final int DNS = 2;
  private static final int URI_NAME = 6;
  private static final int IP = 7;
  private static final String SCHEME = "gossip://";
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private NodeIdentity() {}

  /** The gossip URIs of the certificate, or else its DNS and IP names. */
  static List<String> names(X509Certificate certificate) {
    List<String> uris = new ArrayList<>();
    List<String> hosts = new ArrayList<>();
    Collection<List<?>> sans;
    try {
      sans = certificate.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      return List.of();
    }
    if (sans != null) {
      for (List<?> san : sans) {
        int type = (Integer) san.get(0);
        String value = String.valueOf(san.get(1));
        if (type == URI_NAME && value.startsWith(SCHEME)) {
          uris.add(value);
        } else if (type == DNS || type == IP) {
          hosts.add(value);
        }
      }
    }
    return uris.isEmpty() ? hosts : uris;
  }

  /** Why the certificate does not name host:port, or null if it does. */
  static String mismatch(X509Certificate certificate, String host, int port) {
    List<String> names = names(certificate);
    if (names.isEmpty()) {
      return "its certificate names no host (no DNS, IP or gossip:// subjectAltName)";
    }
    for (String name : names) {
      if (name.startsWith(SCHEME) ? sameAddress(name, host, port) : sameHost(name, host)) {
        return null;
      }
    }
    return "its certificate names " + names + ", not " + host + ":" + port;
  }

  private static boolean sameAddress(String uri, String host, int port) {
    try {
      URI parsed = new URI(uri);
      return parsed.getPort() == port && sameHost(unbracketed(parsed.getHost()), host);
    } catch (URISyntaxException e) {
      return false;
    }
  }

  private static String unbracketed(String host) {
    return host != null && host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
  }

  private static boolean sameHost(String a, String b) {
    if (a == null || b == null) {
      return false;
    }
    if (a.equalsIgnoreCase(b)) {
      return true;
    }
    if (isIpLiteral(a) && isIpLiteral(b)) {
      try {
        // Literals only, so no name is looked up: 0:0:0:0:0:0:0:1 equals ::1.
        return InetAddress.getByName(a).equals(InetAddress.getByName(b));
      } catch (UnknownHostException e) {
        return false;
      }
    }
    return false;
  }

  private static boolean isIpLiteral(String host) {
    return host.indexOf(':') >= 0 || IPV4.matcher(host).matches();
  }
}
