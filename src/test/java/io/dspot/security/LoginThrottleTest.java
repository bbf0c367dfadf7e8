package io.dspot.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.security.LoginThrottle.Attempt;
import io.dspot.security.LoginThrottle.Outcome;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

  /** 3 free failures per account (12 per address), back-off up to 60 s, 2 checks at once per key. */
  private final LoginThrottle throttle = new LoginThrottle(3, 60_000, 2, 1_000);
  private static final Attempt TOM = new Attempt("tom", null);

  private void fail(long now, Attempt attempt) {
    assertThat(throttle.begin(now, attempt).allowed()).isTrue();
    throttle.finished(now, Outcome.FAILED, attempt);
  }

  @Test
  void backOffStartsAfterTheFreeFailuresAndDoubles() {
    fail(0, TOM);
    fail(0, TOM);
    fail(0, TOM);
    LoginThrottle.Verdict first = throttle.begin(0, TOM);
    assertThat(first.allowed()).isFalse();
    assertThat(first.retryAfterSeconds()).isEqualTo(1);
    fail(1_000, TOM);
    assertThat(throttle.begin(1_000, TOM).retryAfterSeconds()).isEqualTo(2);
    fail(3_000, TOM);
    assertThat(throttle.begin(3_000, TOM).retryAfterSeconds()).isEqualTo(4);
    assertThat(throttle.begin(6_999, TOM).allowed()).isFalse();
    assertThat(throttle.begin(7_000, TOM).allowed()).isTrue();
  }

  @Test
  void backOffIsCappedAndForgottenAfterAQuietMaximum() {
    for (int i = 0; i < 40; i++) {
      long now = i * 61_000L;
      if (throttle.begin(now, TOM).allowed()) {
        throttle.finished(now, Outcome.FAILED, TOM);
      }
    }
    assertThat(throttle.begin(40 * 61_000L - 60_000, TOM).retryAfterSeconds()).isLessThanOrEqualTo(60);
    assertThat(throttle.begin(10_000_000L, TOM).allowed()).isTrue();
  }

  @Test
  void anAccountBacksOffWhateverAddressTheGuessesComeFrom() {
    for (int i = 0; i < 3; i++) {
      fail(0, new Attempt("tom", "10.0.0." + i));
    }
    assertThat(throttle.begin(0, new Attempt("tom", "10.0.0.99")).allowed()).isFalse();
    assertThat(throttle.begin(0, new Attempt("ann", "10.0.0.99")).allowed()).as("other accounts are not affected").isTrue();
  }

  @Test
  void anAddressBacksOffAfterFourTimesAsManyFailuresOverAnyAccounts() {
    for (int i = 0; i < 11; i++) {
      fail(0, new Attempt("user-" + i, "10.0.0.1"));
    }
    assertThat(throttle.begin(0, new Attempt("user-11", "10.0.0.1")).allowed()).isTrue();
    throttle.finished(0, Outcome.FAILED, new Attempt("user-11", "10.0.0.1"));
    assertThat(throttle.begin(0, new Attempt("user-12", "10.0.0.1")).allowed()).isFalse();
    assertThat(throttle.begin(0, new Attempt("user-12", "10.0.0.2")).allowed()).isTrue();
  }

  @Test
  void successClearsTheAccountButNotTheAddress() {
    Attempt tomElsewhere = new Attempt("tom", "10.0.0.5");
    fail(0, tomElsewhere);
    fail(0, tomElsewhere);
    for (int i = 0; i < 12; i++) {
      fail(0, new Attempt("other-" + i, "10.0.0.1"));
    }
    Attempt tomHere = new Attempt("tom", "10.0.0.1");
    assertThat(throttle.begin(1_000, tomHere).allowed()).isTrue();
    throttle.finished(1_000, Outcome.SUCCEEDED, tomHere);
    fail(1_000, tomElsewhere);
    fail(1_000, tomElsewhere);
    assertThat(throttle.begin(1_000, tomElsewhere).allowed()).as("the account started afresh").isTrue();
    throttle.finished(1_000, Outcome.NOT_CHECKED, tomElsewhere);
    fail(1_000, new Attempt("other", "10.0.0.1"));
    LoginThrottle.Verdict address = throttle.begin(1_000, new Attempt("third", "10.0.0.1"));
    assertThat(address.allowed()).as("the address still backs off").isFalse();
    assertThat(address.retryAfterSeconds()).as("and keeps doubling").isEqualTo(2);
  }

  @Test
  void inBackOffOnlyOneAttemptAtATimeGoesThrough() {
    for (int i = 0; i < 3; i++) {
      fail(0, TOM);
    }
    assertThat(throttle.begin(5_000, TOM).allowed()).isTrue();
    LoginThrottle.Verdict second = throttle.begin(5_000, TOM);
    assertThat(second.allowed()).isFalse();
    assertThat(second.retryAfterSeconds()).isEqualTo(1);
  }

  @Test
  void noKeyHasMoreThanItsShareOfChecksAtOnce() {
    assertThat(throttle.begin(0, new Attempt("a", "10.0.0.1")).allowed()).isTrue();
    assertThat(throttle.begin(0, new Attempt("b", "10.0.0.1")).allowed()).isTrue();
    LoginThrottle.Verdict third = throttle.begin(0, new Attempt("c", "10.0.0.1"));
    assertThat(third.allowed()).isFalse();
    assertThat(third.retryAfterSeconds()).isEqualTo(1);
    throttle.finished(0, Outcome.NOT_CHECKED, new Attempt("a", "10.0.0.1"));
    assertThat(throttle.begin(0, new Attempt("c", "10.0.0.1")).allowed()).isTrue();
  }

  @Test
  void refusalsBeforeAnyComparisonCountForNothing() {
    for (int i = 0; i < 10; i++) {
      assertThat(throttle.begin(0, TOM).allowed()).as("attempt %d", i).isTrue();
      throttle.finished(0, Outcome.NOT_CHECKED, TOM);
    }
  }
}
