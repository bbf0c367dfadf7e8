package io.dspot.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PasswordPolicyTest {

  private static final PasswordPolicy POLICY = PasswordPolicy.bundled();

  @ParameterizedTest(name = "''{0}'' is refused: {1}")
  @CsvSource(delimiter = '|', ignoreLeadingAndTrailingWhitespace = false, value = {
    "password|at least 10 characters",
    "aaaaaaaa|at least 10 characters",
    "        |at least 10 characters",
    "123456789|at least 10 characters",
    "aaaaaaaaaaaa|one character repeated",
    "          |one character repeated",
    "qwertyuiop|commonly used",
    "1234567890|commonly used",
    "Password123|commonly used",
    "iloveyou123|commonly used",
    "lena-the-listener|the username",
  })
  void weakPasswordsAreRefusedWithTheReason(String password, String reason) {
    assertThat(POLICY.problem("lena-the-listener", password)).contains(reason);
  }

  @ParameterizedTest
  @ValueSource(strings = {"lena-password", "correct horse battery", "Tr0ub4dor&3x", "0123456789abcdefghij"})
  void reasonablePasswordsPass(String password) {
    assertThat(POLICY.problem("lena", password)).isNull();
  }

  @org.junit.jupiter.api.Test
  void veryLongPasswordsAreRefusedAndTheListIsLoaded() {
    assertThat(POLICY.problem("lena", "x".repeat(PasswordPolicy.MAX_LENGTH) + "y")).contains("at most 1024");
    assertThat(POLICY.problem("lena", "X".repeat(PasswordPolicy.MAX_LENGTH - 1) + "y")).isNull();
  }
}
