#!/usr/bin/env bash
# Makes TLS key material for gossip nodes with the JDK's keytool only (no openssl).
#
#   gossip-certs.sh DIR ca NAME
#       A CA: DIR/NAME.p12 (its key pair; keep it safe), DIR/NAME.pem (its certificate) and
#       DIR/NAME-trust.p12 (a trust store holding the certificate: gossip.tls.trust-store).
#   gossip-certs.sh DIR node NAME CA SAN [STARTDATE] [DAYS]
#       A node key pair signed by CA: DIR/NAME.p12 (gossip.tls.key-store, PKCS12) and
#       DIR/NAME-chain.pem (its certificate chain, PEM). SAN is keytool's -ext san value, e.g.
#       ip:10.0.0.5 or dns:node1.example.org,uri:gossip://node1.example.org:7355.
#       STARTDATE is keytool's -startdate (e.g. -3d); DAYS the validity (default 365).
#   gossip-certs.sh DIR self-signed NAME SAN
#       A node key pair with a self-signed certificate (which no gossip node will accept).
#
# The store password is $GOSSIP_CERTS_PASSWORD (default "changeit"); KEYTOOL overrides the keytool
# found on the PATH.
set -euo pipefail

dir=$1
kind=$2
name=$3
pass=${GOSSIP_CERTS_PASSWORD:-changeit}
keytool=${KEYTOOL:-keytool}
mkdir -p "$dir"

keypair() { # alias, store, [extra keytool options]
  local alias=$1 store=$2
  shift 2
  "$keytool" -genkeypair -alias "$alias" -keyalg EC -groupname secp256r1 -dname "CN=$name" \
    -keystore "$store" -storetype PKCS12 -storepass "$pass" "$@"
}

case $kind in
ca)
  keypair ca "$dir/$name.p12" -ext bc:c -validity 3650
  "$keytool" -exportcert -rfc -alias ca -keystore "$dir/$name.p12" -storepass "$pass" \
    -file "$dir/$name.pem"
  "$keytool" -importcert -noprompt -alias ca -file "$dir/$name.pem" \
    -keystore "$dir/$name-trust.p12" -storetype PKCS12 -storepass "$pass"
  ;;
node)
  ca=$4
  san=$5
  startdate=${6:-}
  days=${7:-365}
  rm -f "$dir/$name.p12"
  keypair node "$dir/$name.p12"
  "$keytool" -certreq -alias node -keystore "$dir/$name.p12" -storepass "$pass" \
    -file "$dir/$name.csr"
  "$keytool" -gencert -rfc -alias ca -keystore "$dir/$ca.p12" -storepass "$pass" \
    -infile "$dir/$name.csr" -outfile "$dir/$name-cert.pem" -validity "$days" \
    -ext "san=$san" -ext ku:c=digitalSignature -ext eku=serverAuth,clientAuth \
    ${startdate:+-startdate "$startdate"}
  # The key store takes the signed certificate once it knows the CA's.
  "$keytool" -importcert -noprompt -alias ca -file "$dir/$ca.pem" \
    -keystore "$dir/$name.p12" -storepass "$pass"
  "$keytool" -importcert -noprompt -alias node -file "$dir/$name-cert.pem" \
    -keystore "$dir/$name.p12" -storepass "$pass"
  cat "$dir/$name-cert.pem" "$dir/$ca.pem" >"$dir/$name-chain.pem"
  rm -f "$dir/$name.csr"
  ;;
self-signed)
  rm -f "$dir/$name.p12"
  keypair node "$dir/$name.p12" -ext "san=$4" -validity 365
  "$keytool" -exportcert -rfc -alias node -keystore "$dir/$name.p12" -storepass "$pass" \
    -file "$dir/$name-chain.pem"
  ;;
*)
  echo "usage: $0 DIR ca NAME | DIR node NAME CA SAN [STARTDATE] [DAYS] | DIR self-signed NAME SAN" >&2
  exit 2
  ;;
esac
