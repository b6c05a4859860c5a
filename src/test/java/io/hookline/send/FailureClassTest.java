package io.hookline.send;

import io.hookline.store.ErrorClass;
import io.hookline.testsupport.UnitTest;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.timeout.ReadTimeoutException;
import io.vertx.core.VertxException;
import io.vertx.core.http.HttpClosedException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How a failed request is classified: by the exception types in its cause chain, whatever their messages say. */
@UnitTest
class FailureClassTest {

    private static ErrorClass classOf(Throwable e) {
        return Sender.failure(e, 5).errorClass();
    }

    @Test
    void timeouts_are_recognised_by_type_whatever_their_message() {
        assertEquals(ErrorClass.TIMEOUT, classOf(new TimeoutException("the period of 2000ms has been exceeded")));
        assertEquals(ErrorClass.TIMEOUT, classOf(new ConnectTimeoutException("connect to 10.0.0.1:443")));
        assertEquals(ErrorClass.TIMEOUT, classOf(new SocketTimeoutException("read")));
        assertEquals(ErrorClass.TIMEOUT, classOf(new VertxException(ReadTimeoutException.INSTANCE)));
    }

    @Test
    void a_message_that_mentions_a_timeout_does_not_make_a_refused_connection_a_timeout() {
        assertEquals(ErrorClass.CONNECTION, classOf(new ConnectException("Connection refused: timeout.example")));
        assertEquals(ErrorClass.CONNECTION, classOf(new HttpClosedException("closed after the read timed out")));
    }

    @Test
    void tls_failures_are_tls_also_when_the_decoder_wraps_them() {
        assertEquals(ErrorClass.TLS, classOf(new SSLHandshakeException("PKIX path building failed")));
        assertEquals(ErrorClass.TLS, classOf(new DecoderException(new NotSslRecordException("not an SSL/TLS record"))));
    }

    @Test
    void an_unknown_host_is_dns() {
        assertEquals(ErrorClass.DNS, classOf(new UnknownHostException("no-such-host.invalid")));
    }

    @Test
    void answers_over_the_limits_or_not_http_are_invalid_responses_with_a_message_saying_so() {
        SendResult headers = Sender.failure(new TooLongHttpHeaderException("HTTP header is larger than 8192 bytes"), 5);
        assertEquals(ErrorClass.INVALID_RESPONSE, headers.errorClass());
        assertEquals("invalid response: headers over 8192 bytes", headers.errorMessage());
        SendResult line = Sender.failure(new TooLongHttpLineException("An HTTP line is larger than 4096 bytes."), 5);
        assertEquals(ErrorClass.INVALID_RESPONSE, line.errorClass());
        assertEquals("invalid response: status line over 4096 bytes", line.errorMessage());
        SendResult version = Sender.failure(new IllegalArgumentException("invalid version format: GARBAGE"), 5);
        assertEquals(ErrorClass.INVALID_RESPONSE, version.errorClass());
        assertEquals("invalid response: invalid version format: GARBAGE", version.errorMessage());
        assertEquals(ErrorClass.INVALID_RESPONSE, classOf(new DecoderException("invalid content length")));
    }

    @Test
    void anything_else_is_a_connection_failure() {
        assertEquals(ErrorClass.CONNECTION, classOf(new HttpClosedException("Connection was closed")));
        assertEquals(ErrorClass.CONNECTION, classOf(new VertxException("Connection reset by peer")));
    }
}
