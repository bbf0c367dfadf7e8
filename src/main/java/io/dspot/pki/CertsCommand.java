package io.dspot.pki;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code java -jar dspot.jar certs ...}: the operator's tool for the cluster identity.
 * <ul>
 *   <li>{@code certs init DIR}: a new cluster CA ({@code ca.crt}, {@code ca.key}) and secret;</li>
 *   <li>{@code certs node DIR NODE-ID [--host HOST]...}: that member's {@code NODE-ID.crt} and
 *       {@code NODE-ID.key}, signed by the CA in DIR (again to rotate it).</li>
 * </ul>
 * Keys and the secret are written 0600. Returns a process exit code.
 */
public final class CertsCommand {

  public static final String USAGE = """
      usage: java -jar dspot.jar certs init DIR
             java -jar dspot.jar certs node DIR NODE-ID [--host HOST]...
        init  creates DIR/ca.crt, DIR/ca.key (0600) and DIR/secret (0600, the Hazelcast cluster name); refuses to
              overwrite an existing CA
        node  creates DIR/NODE-ID.crt and DIR/NODE-ID.key (0600) signed by DIR's CA; SANs: NODE-ID, every --host
              (the node's internal address), localhost and 127.0.0.1. Run it again to rotate a member's certificate.""";

  private CertsCommand() {}

  public static int run(List<String> args, PrintStream out, PrintStream err) {
    try {
      if (args.size() == 2 && args.get(0).equals("init")) {
        return init(Path.of(args.get(1)), out, err);
      }
      if (args.size() >= 3 && args.get(0).equals("node")) {
        return node(Path.of(args.get(1)), args.get(2), args.subList(3, args.size()), out, err);
      }
      err.println(USAGE);
      return 2;
    } catch (IllegalArgumentException | IllegalStateException | java.io.UncheckedIOException e) {
      err.println("dspot certs: " + e.getMessage());
      return 1;
    }
  }

  private static int init(Path dir, PrintStream out, PrintStream err) {
    CertsDir files = new CertsDir(dir);
    if (Files.exists(files.caKey()) || Files.exists(files.caCert())) {
      err.println("dspot certs: " + dir + " already holds a CA; refusing to replace it (see the README on rotating the CA)");
      return 1;
    }
    ClusterCa ca = ClusterCa.create(dir.toAbsolutePath().getFileName().toString());
    ca.writeTo(dir);
    if (!Files.exists(files.secret())) {
      ClusterSecret.create(files.secret());
    }
    out.println("cluster CA in " + files.caCert() + " (key " + files.caKey() + ", keep it off the nodes), secret in " + files.secret());
    return 0;
  }

  private static int node(Path dir, String nodeId, List<String> options, PrintStream out, PrintStream err) {
    if (!nodeId.matches("[A-Za-z0-9._-]{1,64}")) {
      err.println("dspot certs: NODE-ID must be 1-64 letters, digits, '.', '_' or '-', got '" + nodeId + "'");
      return 2;
    }
    Set<String> hosts = new LinkedHashSet<>();
    for (int i = 0; i < options.size(); i++) {
      if (!options.get(i).equals("--host") || i + 1 >= options.size()) {
        err.println(USAGE);
        return 2;
      }
      hosts.add(options.get(++i));
    }
    CertsDir files = new CertsDir(dir);
    if (!Files.exists(files.caKey())) {
      err.println("dspot certs: no CA in " + dir + " (run 'certs init " + dir + "' first)");
      return 1;
    }
    List<String> names = new ArrayList<>(hosts);
    names.addAll(ClusterCa.defaultHosts("127.0.0.1"));
    ClusterCa.write(dir, nodeId, ClusterCa.load(dir).issue(nodeId, List.copyOf(new LinkedHashSet<>(names))));
    out.println("certificate for " + nodeId + " in " + files.memberCert(nodeId) + " (key " + files.memberKey(nodeId) + ")");
    return 0;
  }
}
