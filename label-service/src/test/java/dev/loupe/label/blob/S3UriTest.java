package dev.loupe.label.blob;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class S3UriTest {

    @Test
    void s3UrisSplitIntoBucketAndKeyAndAnythingElseIsRefused() {
        assertEquals(Optional.of(new S3Uri("my-bucket", "a/b c.png")), S3Uri.parse("s3://my-bucket/a/b c.png"));
        assertEquals(Optional.of(new S3Uri("my.bucket", "")), S3Uri.parse("s3://my.bucket"));
        assertEquals("s3://my-bucket/prefix/", new S3Uri("my-bucket", "prefix/").toString());
        for (String bad : new String[]{null, "", "s3://", "s3:///key", "S3://b/k", "https://b.s3.amazonaws.com/k",
                "s3://UPPER/k", "s3://a/k", "s3://b_x/k", "s3://bucket/k\n", "s3://bucket/" + "k".repeat(1025)}) {
            assertTrue(S3Uri.parse(bad).isEmpty(), String.valueOf(bad));
        }
    }
}
