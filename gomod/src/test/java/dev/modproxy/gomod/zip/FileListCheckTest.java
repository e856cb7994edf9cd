package dev.modproxy.gomod.zip;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

/** x/mod's TestIsVendoredPackage, false positives included. */
class FileListCheckTest {

    @ParameterizedTest(name = "{0}")
    @CsvFileSource(resources = "vendored.tsv", delimiter = '\t', commentCharacter = '#')
    void isVendoredPackage(String path, boolean expected) {
        assertEquals(expected, FileListCheck.isVendoredPackage(path));
    }
}
