enum _StubWharfTesting {}
