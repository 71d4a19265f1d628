//! Test certificates, made by the test (rcgen): nothing secret is committed.

/// A certificate authority made for the test, and a certificate it signed for 127.0.0.1: (the
/// authority's PEM, the certificate's PEM, its key's PEM).
pub fn for_loopback() -> (String, String, String) {
    use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair};
    let mut authority = CertificateParams::new(Vec::<String>::new()).unwrap();
    authority.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    authority
        .distinguished_name
        .push(DnType::CommonName, "trtc-live test authority");
    let authority = CertifiedIssuer::self_signed(authority, KeyPair::generate().unwrap()).unwrap();
    let key = KeyPair::generate().unwrap();
    let certificate = CertificateParams::new(vec!["127.0.0.1".to_owned()])
        .unwrap()
        .signed_by(&key, &authority)
        .unwrap();
    (authority.pem(), certificate.pem(), key.serialize_pem())
}
