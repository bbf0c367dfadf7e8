package io.dspot.node;

import io.dspot.config.ConfigException;
import io.dspot.config.ConfigLoader;
import io.dspot.config.JvmConfig;
import io.dspot.config.NodeConfig;

import io.dspot.ingest.IngestAddresses;
import io.dspot.pki.CertsCommand;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar dspot.jar [--conf FILE] [--import DIR]}: loads the config once, starts the node
 * and keeps it running until SIGTERM/SIGINT. With {@code --import} it imports the folder and exits.
 * {@code java -jar dspot.jar certs ...} creates the cluster's CA and member certificates instead.
 */
public final class Main {

  /** Not a static field: the JVM that only launches the node's never sets up logging. */
  private static Logger log() {
    return LoggerFactory.getLogger(Main.class);
  }

  private Main() {}

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("certs")) {
      System.exit(CertsCommand.run(java.util.List.of(args).subList(1, args.length), System.out, System.err));
      return;
    }
    Path conf = Path.of("conf/node.json");
    Path importDir = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--conf" -> conf = Path.of(requireValue(args, ++i, "--conf"));
        case "--import" -> importDir = Path.of(requireValue(args, ++i, "--import"));
        case "-h", "--help" -> {
          System.out.println("usage: java -jar dspot.jar [--conf conf/node.json] [--import DIR]");
          System.out.println(CertsCommand.USAGE);
          return;
        }
        default -> fail("unknown argument '" + args[i] + "' (try --help)");
      }
    }
    JvmConfig jvm;
    try {
      jvm = JvmConfig.read(conf, System.getenv());
    } catch (ConfigException e) {
      fail(e.getMessage());
      return;
    }
    if (SmallJvm.wanted(jvm)) {
      System.exit(SmallJvm.run(jvm, args));
      return;
    }
    SmallJvm.stopWithLauncher();
    NodeConfig config;
    try {
      config = ConfigLoader.load(conf);
    } catch (ConfigException e) {
      fail(e.getMessage());
      return;
    }
    if (importDir != null) {
      config = config.withImportRoot(importDir); // the operator at the console may read what they name
    }
    Node node;
    try {
      node = Node.start(config);
    } catch (ConfigException e) {
      // e.g. a clustered node without its certificates: the message says what to make and how.
      fail(e.getMessage());
      return;
    } catch (Exception e) {
      log().error("node {} failed to start: {}", config.nodeId(), e.toString());
      System.exit(1);
      return;
    }
    if (importDir != null) {
      int code = runImport(node, importDir);
      node.stop();
      System.exit(code);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(node::stop, "node-shutdown"));
    AfterImport.watch(node.vertx(), node.pool());
  }

  /** Runs one folder import to its end and reports; exit code 0 unless it could not run at all. */
  private static int runImport(Node node, Path dir) {
    Promise<JsonObject> finished = Promise.promise();
    var bus = node.vertx().eventBus();
    bus.<JsonObject>localConsumer(IngestAddresses.IMPORT_FINISHED, m -> finished.tryComplete(m.body()));
    try {
      bus.request(IngestAddresses.FOLDER_IMPORT, new JsonObject().put("path", dir.toString()), new DeliveryOptions().setSendTimeout(600_000))
          .onFailure(finished::tryFail);
      JsonObject job = finished.future().await();
      log().info("import finished: {}", job.encode());
      return 0;
    } catch (RuntimeException e) {
      log().error("import of {} failed: {}", dir, e.getMessage());
      return 1;
    }
  }

  private static String requireValue(String[] args, int i, String flag) {
    if (i >= args.length) {
      fail(flag + " needs a value");
    }
    return args[i];
  }

  private static void fail(String message) {
    System.err.println("dspot: " + message);
    System.exit(2);
  }
}
