package io.dspot.node;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.core.ConsoleAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Logging is set up by {@link LogSetup}, found through META-INF/services (no logback.xml any more). */
class LogSetupTest {

  @Test
  void logbackIsSetUpInCodeWithTheNodesPatternAndLevels() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    assertThat(root.getLevel()).isEqualTo(Level.INFO);
    assertThat(root.getAppender("STDOUT")).isInstanceOf(ConsoleAppender.class);
    ConsoleAppender<?> console = (ConsoleAppender<?>) root.getAppender("STDOUT");
    assertThat(((PatternLayoutEncoder) console.getEncoder()).getPattern()).isEqualTo(LogSetup.PATTERN);
    LogSetup.LEVELS.forEach((name, level) -> assertThat(context.getLogger(name).getLevel()).as(name).isEqualTo(level));
    assertThat(context.getLogger("io.dspot").getEffectiveLevel()).isEqualTo(Level.INFO);
  }
}
