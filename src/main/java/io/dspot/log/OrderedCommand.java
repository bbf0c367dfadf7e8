package io.dspot.log;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;

/**
 * A catalog write waiting for the ring token. {@link #decide} runs on the token holder inside the
 * commit transaction, after every earlier event was applied there: it reads what it needs and
 * says which event to record (ids and times included), or refuses with a ServiceException.
 */
@FunctionalInterface
public interface OrderedCommand {
  Future<Decision> decide(SqlConnection tx);

  /**
   * What this command's decision depends on, or null (the default): not known, so it is decided
   * alone, after every earlier command's applies were sent. A command with a key may be decided
   * ahead, together with the other keyed commands of its batch around it (see {@link DecideKey}).
   */
  default DecideKey decidesOn() {
    return null;
  }

  /** The command, declared to depend on {@code key} only (see {@link DecideKey} for the promise that makes). */
  static OrderedCommand keyed(DecideKey key, OrderedCommand command) {
    return new OrderedCommand() {
      @Override
      public Future<Decision> decide(SqlConnection tx) {
        return command.decide(tx);
      }

      @Override
      public DecideKey decidesOn() {
        return key;
      }
    };
  }

  /**
   * A promise about a family of commands, checked by whoever writes them, not by the log: for any
   * two commands A and B of the same family with different keys, nothing A's applier writes is
   * read by B's decide, and the other way round. In practice each decide reads only rows that
   * belong to its own key, plus rows that no command of the family writes; each applier writes
   * only rows of its own key, plus rows no decide of the family reads. (Triggers, cascades and
   * constraints count: a unique constraint across keys, such as unique playlist names, would be
   * a read of the other keys' rows.) Then the decides of consecutive commands of one family
   * with distinct keys give the same decisions whether each waits for the previous ones' applies
   * or all are sent together before any of them is applied: that is what the holder does.
   */
  record DecideKey(String family, String key) {
    public DecideKey {
      if (family == null || key == null) {
        throw new IllegalArgumentException("a decide key needs a family and a key");
      }
    }
  }
}
