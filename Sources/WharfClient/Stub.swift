enum _StubWharfClient {}
