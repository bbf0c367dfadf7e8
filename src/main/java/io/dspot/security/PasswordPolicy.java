package io.dspot.security;

import io.dspot.bus.ServiceException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * What a new password must be: 10 to 1024 characters, not all one character, not the username and
 * not on the bundled list of common passwords ({@code security/common-passwords.txt}, which says
 * where it comes from). Checked when a password is chosen (a new user, a change, a reset), never
 * against passwords that already exist, so nobody is locked out by a stricter rule.
 */
final class PasswordPolicy {

  static final int MIN_LENGTH = 10;
  static final int MAX_LENGTH = 1024;
  private static final String LIST = "/security/common-passwords.txt";

  private final Set<String> common;

  private PasswordPolicy(Set<String> common) {
    this.common = common;
  }

  static PasswordPolicy bundled() {
    try (InputStream in = PasswordPolicy.class.getResourceAsStream(LIST)) {
      if (in == null) {
        throw new IllegalStateException(LIST + " is missing from the jar");
      }
      Set<String> words = new HashSet<>();
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (!line.isBlank() && !line.startsWith("#")) {
          words.add(line.strip().toLowerCase(Locale.ROOT));
        }
      }
      return new PasswordPolicy(Set.copyOf(words));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The reason {@code password} is refused for {@code username}, or null when it is acceptable. */
  String problem(String username, String password) {
    if (password == null || password.length() < MIN_LENGTH) {
      return "password must be at least " + MIN_LENGTH + " characters";
    }
    if (password.length() > MAX_LENGTH) {
      return "password must be at most " + MAX_LENGTH + " characters";
    }
    if (password.chars().distinct().count() == 1) {
      return "password must not be one character repeated";
    }
    if (username != null && password.equalsIgnoreCase(username)) {
      return "password must not be the username";
    }
    if (common.contains(password.strip().toLowerCase(Locale.ROOT))) {
      return "password is on the list of commonly used passwords; choose another";
    }
    return null;
  }

  /** Throws a 400 with the reason when {@code password} is refused. */
  void check(String username, String password) {
    String problem = problem(username, password);
    if (problem != null) {
      throw ServiceException.badRequest(problem);
    }
  }
}
