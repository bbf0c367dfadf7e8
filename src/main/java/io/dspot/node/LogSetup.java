package io.dspot.node;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.Map;

/**
 * The node's logging, set up in code (found by logback through {@code META-INF/services}) rather
 * than from a {@code logback.xml}: reading XML loads logback's Joran configurator and the JDK's XML
 * parser, ~800 classes that stay in the node's metaspace (~5 MB) for a handful of settings. An
 * operator's own file ({@code -Dlogback.configurationFile=...}) still wins: then this steps aside.
 */
public final class LogSetup extends ContextAwareBase implements Configurator {

  static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{20} - %msg%n";
  /**
   * Libraries that say too much at INFO; and Micrometer's registry, whose "This Gauge has been
   * already registered" warning every node printed at start: vertx-micrometer registers the
   * event bus's handler and pending gauges again for each consumer and finds its counter by the
   * meter's id, as designed, so the warning reports nothing wrong.
   */
  static final Map<String, Level> LEVELS = Map.of(
      "org.flywaydb", Level.WARN,
      "io.zonky", Level.INFO,
      "io.netty", Level.WARN,
      "com.hazelcast", Level.WARN,
      "io.vertx.servicediscovery", Level.WARN,
      "io.micrometer.core.instrument.MeterRegistry", Level.ERROR);

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (System.getProperty("logback.configurationFile") != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(PATTERN);
    encoder.start();
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName("STDOUT");
    console.setEncoder(encoder);
    console.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(console);
    LEVELS.forEach((name, level) -> context.getLogger(name).setLevel(level));
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
