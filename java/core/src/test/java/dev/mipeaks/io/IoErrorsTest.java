package dev.mipeaks.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import org.junit.jupiter.api.Test;

/** The one-line reasons of I/O failures: the common exceptions in words, else the system's reason or message. */
class IoErrorsTest {
    @Test
    void commonExceptionsReadAsWords() {
        assertEquals("permission denied", IoErrors.reason(new AccessDeniedException("/x")));
        assertEquals("no such file or folder", IoErrors.reason(new NoSuchFileException("/x")));
        assertEquals("already exists", IoErrors.reason(new FileAlreadyExistsException("/x")));
        assertEquals("a folder that is not empty is in the way", IoErrors.reason(new DirectoryNotEmptyException("/x")));
        assertEquals("not a folder", IoErrors.reason(new NotDirectoryException("/x")));
        assertEquals("not UTF-8 text", IoErrors.reason(new MalformedInputException(1)));
    }

    @Test
    void otherFailuresKeepTheSystemsReasonOrTheFirstLineOfTheMessage() {
        assertEquals("No space left on device",
                IoErrors.reason(new FileSystemException("/x", null, "No space left on device")));
        assertEquals("FileSystemException", IoErrors.reason(new FileSystemException("/x")));
        assertEquals("disk gone", IoErrors.reason(new IOException("disk gone\nat sector 7")));
        assertEquals("IOException", IoErrors.reason(new IOException()));
        assertEquals("/x: permission denied", IoErrors.describe(new AccessDeniedException("/x")));
        assertEquals("I/O error: disk gone", IoErrors.describe(new IOException("disk gone")));
    }
}
