package io.dspot.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.security.LoginThrottle.Outcome;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

  private static final String ACCOUNT = "account:tom";
  private static final String ADDRESS = "address:127.0.0.9";
  private final LoginThrottle throttle = new LoginThrottle(3, 60_000, 2, 1_000);

  private void fail(long now, String... keys) {
    assertThat(throttle.begin(now, keys).allowed()).isTrue();
    throttle.finished(now, Outcome.FAILED, ACCOUNT, keys);
  }

  @Test
  void backOffStartsAfterTheFreeFailuresAndDoubles() {
    fail(0, ACCOUNT);
    fail(0, ACCOUNT);
    fail(0, ACCOUNT);
    LoginThrottle.Verdict first = throttle.begin(0, ACCOUNT);
    assertThat(first.allowed()).isFalse();
    assertThat(first.retryAfterSeconds()).isEqualTo(1);
    fail(1_000, ACCOUNT);
    assertThat(throttle.begin(1_000, ACCOUNT).retryAfterSeconds()).isEqualTo(2);
    fail(3_000, ACCOUNT);
    assertThat(throttle.begin(3_000, ACCOUNT).retryAfterSeconds()).isEqualTo(4);
    assertThat(throttle.begin(6_999, ACCOUNT).allowed()).isFalse();
    assertThat(throttle.begin(7_000, ACCOUNT).allowed()).isTrue();
  }

  @Test
  void backOffIsCappedAndForgottenAfterAQuietMaximum() {
    for (int i = 0; i < 40; i++) {
      long now = i * 61_000L;
      if (throttle.begin(now, ACCOUNT).allowed()) {
        throttle.finished(now, Outcome.FAILED, ACCOUNT, ACCOUNT);
      }
    }
    assertThat(throttle.begin(40 * 61_000L - 60_000, ACCOUNT).retryAfterSeconds()).isLessThanOrEqualTo(60);
    assertThat(throttle.begin(10_000_000L, ACCOUNT).allowed()).isTrue();
  }

  @Test
  void successClearsTheAccountButNotTheAddress() {
    for (int i = 0; i < 3; i++) {
      fail(0, ACCOUNT, ADDRESS);
    }
    assertThat(throttle.begin(1_000, ACCOUNT, ADDRESS).allowed()).isTrue();
    throttle.finished(1_000, Outcome.SUCCEEDED, ACCOUNT, ACCOUNT, ADDRESS);
    fail(1_000, ACCOUNT);
    assertThat(throttle.begin(1_000, ACCOUNT).allowed()).as("the account starts afresh").isTrue();
    throttle.finished(1_000, Outcome.NOT_CHECKED, ACCOUNT, ACCOUNT);
    fail(1_000, "account:other", ADDRESS);
    LoginThrottle.Verdict address = throttle.begin(1_000, "account:third", ADDRESS);
    assertThat(address.allowed()).as("the address still backs off").isFalse();
    assertThat(address.retryAfterSeconds()).as("and keeps doubling").isEqualTo(2);
  }

  @Test
  void inBackOffOnlyOneAttemptAtATimeGoesThrough() {
    for (int i = 0; i < 3; i++) {
      fail(0, ADDRESS);
    }
    assertThat(throttle.begin(5_000, ADDRESS).allowed()).isTrue();
    LoginThrottle.Verdict second = throttle.begin(5_000, ADDRESS);
    assertThat(second.allowed()).isFalse();
    assertThat(second.retryAfterSeconds()).isEqualTo(1);
  }

  @Test
  void noKeyHasMoreThanItsShareOfChecksAtOnce() {
    assertThat(throttle.begin(0, ADDRESS).allowed()).isTrue();
    assertThat(throttle.begin(0, "account:b", ADDRESS).allowed()).isTrue();
    LoginThrottle.Verdict third = throttle.begin(0, "account:c", ADDRESS);
    assertThat(third.allowed()).isFalse();
    assertThat(third.retryAfterSeconds()).isEqualTo(1);
    throttle.finished(0, Outcome.NOT_CHECKED, ACCOUNT, ADDRESS);
    assertThat(throttle.begin(0, "account:c", ADDRESS).allowed()).isTrue();
  }

  @Test
  void refusalsBeforeAnyComparisonCountForNothing() {
    for (int i = 0; i < 10; i++) {
      assertThat(throttle.begin(0, ACCOUNT).allowed()).as("attempt %d", i).isTrue();
      throttle.finished(0, Outcome.NOT_CHECKED, ACCOUNT, ACCOUNT);
    }
    assertThat(throttle.begin(0, ACCOUNT).allowed()).isTrue();
  }
}
