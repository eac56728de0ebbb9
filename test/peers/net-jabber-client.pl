#!/usr/bin/perl
# A client of the book's era on Debian's Net::Jabber: the book's reguser script (chapter 7), and a login with
# AuthSend, which picks plaintext, digest or 0k from what the server's jabber:iq:auth get offers.
#
#   net-jabber-client.pl register HOST:PORT DOMAIN                      the inquiry
#   net-jabber-client.pl register HOST:PORT DOMAIN field=value ...      the attempt
#   net-jabber-client.pl login HOST:PORT DOMAIN USERNAME RESOURCE       password in NET_JABBER_PASSWORD
use strict;
use warnings;
use Net::Jabber qw(Client);

use constant NS_REGISTER => 'jabber:iq:register';

my $usage = "Usage: net-jabber-client.pl register HOST:PORT DOMAIN [field=value ...]\n"
  . "       net-jabber-client.pl login HOST:PORT DOMAIN USERNAME RESOURCE\n";
my $command = shift @ARGV;
my $target  = shift @ARGV;
my $domain  = shift @ARGV;
die $usage unless defined $domain && ($command eq 'register' || $command eq 'login');

my ($host, $port) = split(":", $target);
$port ||= 5222;

my $c = Net::Jabber::Client->new();
# componentname: the domain for the stream header's `to`, while the socket goes to HOST (a loopback address).
defined($c->Connect(hostname => $host, port => $port, componentname => $domain, timeout => 10))
  or die "Cannot reach Jabber server at $host:$port\n";

if ($command eq 'register') { register(@ARGV) }
else                        { login(@ARGV) }

$c->Disconnect();
exit 0;

# The book's reguser: an attempt with field=value arguments, else an inquiry.
sub register {
  my @fields = @_;
  my ($iq, $query, $result);
  if (@fields) {
    print "[Attempt] ";
    $iq = Net::Jabber::IQ->new();
    $iq->SetType('set');
    $query = $iq->NewQuery(NS_REGISTER);
    foreach my $arg (@fields) {
      my ($field, $value) = split('=', $arg, 2);
      print "($value) " if $field eq 'username';
      my $set = 'Set' . ucfirst($field);
      $query->$set($value);
    }
    $result = $c->SendAndReceiveWithID($iq);
    die "No reply to the registration attempt\n" unless defined $result;
    if ($result->GetType() eq 'result') {
      print "Successful registration\n";
    }
    else {
      print "Error: ", $result->GetErrorCode(), " (", $result->GetError(), ")\n";
    }
  }
  else {
    print "[Inquiry] ";
    $iq = Net::Jabber::IQ->new();
    $iq->SetType('get');
    $query = $iq->NewQuery(NS_REGISTER);
    $result = $c->SendAndReceiveWithID($iq);
    die "No reply to the registration inquiry\n" unless defined $result;
    if ($result->GetType() eq 'result') {
      $query = $result->GetQuery();
      my %contents = $query->GetRegister();
      delete $contents{'instructions'};
      print "Fields: ", join(', ', keys %contents), "\n";
    }
    else {
      print "Error: ", $result->GetErrorCode(), " (", $result->GetError(), ")\n";
    }
  }
}

# AuthSend as a book-era client logs in: ("ok", "") or (code, text).
sub login {
  my ($username, $resource) = @_;
  die $usage unless defined $resource;
  my $password = $ENV{NET_JABBER_PASSWORD};
  die "NET_JABBER_PASSWORD is not set\n" unless defined $password;
  my @result = $c->AuthSend(username => $username, password => $password, resource => $resource);
  if (@result && $result[0] eq 'ok') {
    print "[Login] ($username) ok\n";
  }
  else {
    my ($code, $text) = @result;
    print "[Login] ($username) Error: ", $code // '', " (", $text // '', ")\n";
  }
}
