enum StubServer {}
