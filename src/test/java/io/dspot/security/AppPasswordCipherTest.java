package io.dspot.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AppPasswordCipherTest {

  private static final UUID USER = UUID.randomUUID();
  private final AppPasswordCipher cipher = new AppPasswordCipher("dspot-AbCdEfGhIjKlMnOpQrStUvWxYz012345");

  @Test
  void aSealedPasswordOpensForItsUserOnAnyNodeWithTheSameSecret() {
    String sealed = cipher.seal("my app password ü", USER);
    assertThat(sealed).doesNotContain("my app password");
    assertThat(new AppPasswordCipher("dspot-AbCdEfGhIjKlMnOpQrStUvWxYz012345").open(sealed, USER)).isEqualTo("my app password ü");
  }

  @Test
  void sealingTwiceGivesDifferentValues() {
    assertThat(cipher.seal("same", USER)).isNotEqualTo(cipher.seal("same", USER));
  }

  @Test
  void anotherClusterSecretAnotherUserOrATamperedValueOpensNothing() {
    String sealed = cipher.seal("secret-password", USER);
    assertThat(new AppPasswordCipher("dspot-another-cluster-secret-000000").open(sealed, USER)).isNull();
    assertThat(cipher.open(sealed, UUID.randomUUID())).isNull();
    byte[] bytes = Base64.getDecoder().decode(sealed);
    bytes[bytes.length - 1] ^= 1;
    assertThat(cipher.open(Base64.getEncoder().encodeToString(bytes), USER)).isNull();
    assertThat(cipher.open("not base64 at all!", USER)).isNull();
    assertThat(cipher.open("", USER)).isNull();
  }

  @Test
  void noSecretNoCipher() {
    assertThatThrownBy(() -> new AppPasswordCipher("")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theTokenIsTheHexMd5OfPasswordAndSalt() {
    // The example of the Subsonic API description: password "sesame", salt "c19b2d".
    assertThat(AppPasswords.md5Hex("sesame" + "c19b2d")).isEqualTo("26719a1196d2a940705a59634eb18eab");
  }
}
