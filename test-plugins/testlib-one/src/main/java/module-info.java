/** A private library that two test plugins bundle in different versions. */
module io.junction.testlib {
    exports io.junction.testlib;
}
