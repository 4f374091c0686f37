//! How ISPs and providers name their hosts: the data behind
//! [`dynamic_name`](crate::rules::dynamic_name) (rule 1's name reading and
//! rule 2's generic names). Data only; the reading is in `rules/dynamic_name.rs`.
//!
//! Sources (reference only; no rule or pattern is copied):
//! - Apache SpamAssassin `rules/20_dynrdns.cf`: the generic `__RDNS_DYNAMIC_*`
//!   sub-rules (which words mark a dynamic range, which mark a static one) and
//!   its per-ISP rules (VELOX, NTL, OOL, YAHOOBB, TTNET, …).
//! - `fqrdns.pcre` (Stan Hoeppner, maintained by Steve Jenkins,
//!   github.com/stevejenkins/hardwarefreak.com-fqrdns.pcre, public domain):
//!   consumer reverse-DNS forms per ISP, many of them address-embedding names
//!   with no dynamic word (`ip68-…cox.net`, `…qwest.net`, `…tpgi.com.au`,
//!   `i…versanet.de`, `d…wideopenwest.com`).
//! - Spamhaus PBL documentation (ISP-maintained end-user ranges) and the ISPs'
//!   own reverse names for their subscriber ranges (Comcast `hsd1`, Deutsche
//!   Telekom `dip0.t-ipconnect.de` hex, Verizon Wireless `sub-….myvzw.com`,
//!   BT `range…btcentralplus.com`, Telstra `bigpond.net.au`, …).
//! - rspamd's `hfilter` module (its HELO/hostname word list: `dynamic`,
//!   `dyn`, `clients`, `broadband`, `bredband`, `pppoe`, `dhcp`, …) and the
//!   IETF draft `draft-msullivan-dnsop-generic-naming-schemes` (SORBS and
//!   CANTV: the words ISPs are asked to put in generic names — `dyn`,
//!   `static`, `dhcp`, `dsl`, `cable`, `dialup`, `wireless`, `res`, …).
//! - fqrdns.pcre's "generic" section again, for `FQRDNS_CONSUMER_DOMAINS`:
//!   the registered domains of its consumer patterns, hosting and business
//!   carriers left out.
//! - Hosting providers' documented default reverse names (AWS EC2
//!   `ec2-…compute.amazonaws.com`, Google Cloud `….bc.googleusercontent.com`,
//!   Hetzner `static.….clients.your-server.de`, Linode, Vultr, OVHcloud,
//!   Scaleway, Contabo, …) and the outbound host names of the large mail
//!   providers.

/// Markers of dynamic/residential assignment; with any number in the host part
/// they make a name dynamic. Matched against the leading letters of each
/// `-`/`.`-separated token (`dhcp024` → `dhcp`). From SpamAssassin's
/// `__RDNS_DYNAMIC_DHCP`, `_HCC`, `_INDICATOR_DYN` words and ISPs' naming.
pub(crate) const DYNAMIC_MARKERS: &[&str] = &[
    "dyn",
    "dynamic",
    "dynip",
    "dhcp",
    "pool",
    "pools",
    "ppp",
    "pppoe",
    "pptp",
    "dsl",
    "dslb",
    "adsl",
    "vdsl",
    "xdsl",
    "sdsl",
    "dialup",
    "dial",
    "dialin",
    "modem",
    "modemcable",
    "isdn",
    "cable",
    "catv",
    "docsis",
    "cpe",
    "broadband",
    "residential",
    "fios",
    "hsd",
    "dip",
    "lightspeed",
    "ftth",
    "fttx",
    "fttc",
    "fttp",
    "dclient",
    "yahoobb",
    "bredband",
    "kabel",
    "wireless",
    "lte",
    "mobile",
    "cgnat",
    "apn",
    "gprs",
    "umts",
    "wimax",
    "cablemodem",
    // Mobile, fibre and wireless access words (rspamd hfilter's host checks,
    // the ISPs' own names: Vodafone Italy `mob-`, Telus `hsia`, Kabel BW `hsi`).
    "mob",
    "mobil",
    "wlan",
    "wifi",
    "3g",
    "4g",
    "5g",
    "hsi",
    "hsia",
    "gpon",
    "fiber",
    "fibre",
    "fibra",
    "evdo",
    "cdma",
    "triband",
    // Access-network equipment and carrier NAT in subscriber names: DS-Lite
    // `aftr-` (M-net, Unitymedia), Bell's `bras-base-`, Free's `lns-`,
    // broadband network gateways, Japanese IPoE.
    "aftr",
    "cgn",
    "bras",
    "bng",
    "lns",
    "ipoe",
];

/// Dynamic words that also count as the start of a longer word
/// (`dynamicip`, `dyndsl`, `dynpool`, `dinamico`, `dslc`, `cablep`,
/// `pooles`): fqrdns.pcre's dynamic section is full of such compounds, in
/// several languages (`dinamica`, `dynamique`).
pub(crate) const DYNAMIC_PREFIXES: &[&str] = &[
    "dyn",
    "dinam",
    "dhcp",
    "pppoe",
    "dsl",
    "adsl",
    "vdsl",
    "xdsl",
    "dial",
    "cable",
    "catv",
    "docsis",
    "broadband",
    "pool",
    "modem",
    "ftth",
    "fttb",
    "fttx",
];

/// Markers that are common in residential names but too short or too common
/// to count alone: they count only next to the embedded address
/// (SpamAssassin's `__RDNS_DYNAMIC_INDICATOR_RES`: `res`, `resnet`, `client`).
pub(crate) const WEAK_MARKERS: &[&str] = &[
    "res",
    "resnet",
    "client",
    "clients",
    "cust",
    "customer",
    "subscriber",
    "subs",
    "user",
    "users",
    "home",
    "bb",
    "cm",
    "abo",
    "nat",
    "node",
    "retail",
    "red",
    "priv",
    "bbcust",
    "pc",
    "access",
];

/// Markers of static assignment (they win over dynamic markers, as in
/// SpamAssassin's `__RDNS_STATIC`). `wsip` (Cox business) and `rrcs` (Road
/// Runner/Spectrum business) are ISPs' names for their static business ranges.
pub(crate) const STATIC_MARKERS: &[&str] = &[
    "static",
    "staticip",
    "stat",
    "fix",
    "fixed",
    "fixip",
    "fixe",
    "biz",
    "business",
    "dedicated",
    "dedi",
    "server",
    "servers",
    "srv",
    "hosting",
    "colo",
    "vps",
    "datacenter",
    "wsip",
    "rrcs",
    // fqrdns.pcre's static section: `sta` (`….sta.estpak.ee`,
    // `customer-…-sta.uninet-ide.com.mx`), `ded`, `corp`, leased lines,
    // and the words for "fixed" and "business" in the ISPs' languages.
    "sta",
    "ded",
    "b2b",
    "corp",
    "corporate",
    "corporativo",
    "empresa",
    "empresas",
    "empresarial",
    "enterprise",
    "leased",
    "fija",
    "fijo",
    "fisso",
    "fixa",
    "estatica",
    "estatico",
    "statique",
    // Virtual servers.
    "cloud",
    "vm",
];

/// Words that name a mail server (`mailout12`, `smtp-out`, `mx2`, `mta5`):
/// under an access network's domain they are the ISP's own servers, never a
/// subscriber line.
pub(crate) const SERVER_MARKERS: &[&str] = &[
    "mail", "mailout", "mout", "smtp", "smtpout", "mx", "mta", "omta", "relay", "outbound",
    "mailhost", "mailgw",
];

/// Words in a registrant's own label (`cablecolor.hn`, `bulldogdsl.com`,
/// `bigtelecom.ru`, `prioritytelecom.net`) that say the domain is an access
/// network: most of fqrdns.pcre's generic section is such domains. Its
/// address-numbered names are subscriber lines unless marked static.
pub(crate) const ACCESS_DOMAIN_WORDS: &[&str] = &[
    "cable",
    "catv",
    "kabel",
    "dsl",
    "broadband",
    "bredband",
    "fiber",
    "fibre",
    "fibra",
    "ftth",
    "wireless",
    "wimax",
    "mobile",
    "telecom",
    "telekom",
    "telkom",
    "dialup",
];

/// Words in a registrant's own label that say it hosts servers
/// (`hosted-by-vdsina.ru`, `ubiquityservers.com`, `hostdime.com`): its
/// address-numbered names are data-centre addresses (static). Matched inside
/// the label, so only words that no access network's name contains (`colo`
/// would match `cablecolor`, `dedi` would match `dedicado`).
pub(crate) const HOSTING_DOMAIN_WORDS: &[&str] = &[
    "host",
    "server",
    "cloud",
    "vps",
    "colocation",
    "datacenter",
    "datacentre",
    "dedicated",
];

/// Words in a registrant's own label that say it serves businesses
/// (`comcastbusiness.net`, `virginmediabusiness.co.uk`): static ranges.
pub(crate) const BUSINESS_DOMAIN_WORDS: &[&str] = &["business"];

/// Subscriber zones of residential ISPs where every numbered name is a
/// subscriber line, address-embedding or not (Shaw's `s0106<MAC>.vc.shawcable.net`,
/// NTT's `p…-ipngn….ocn.ne.jp`). Narrow on purpose: the ISPs' own servers are
/// named elsewhere.
pub(crate) const RESIDENTIAL_ZONES: &[(&str, &str)] = &[
    ("btcentralplus.com", "BT consumer broadband"),
    ("t-ipconnect.de", "Deutsche Telekom consumer lines"),
    ("t-dialin.net", "Deutsche Telekom consumer lines"),
    ("abo.wanadoo.fr", "Orange France subscribers"),
    ("hsd1.ca.comcast.net", "Comcast residential"),
    ("client.comcast.net", "Comcast residential"),
    ("res.rr.com", "Charter/Spectrum residential"),
    ("res.spectrum.com", "Charter/Spectrum residential"),
    ("fios.verizon.net", "Verizon Fios"),
    ("proxad.net", "Free (France) subscribers"),
    ("bbtec.net", "SoftBank BB (Japan)"),
    ("shawcable.net", "Shaw cable (Canada)"),
    ("rima-tde.net", "Telefónica Spain residential"),
    ("wideopenwest.com", "WOW! cable"),
    ("fastwebnet.it", "Fastweb (Italy) residential"),
    ("virginm.net", "Virgin Media cable"),
    ("sbcglobal.net", "AT&T residential"),
    ("bezeqint.net", "Bezeq (Israel) residential"),
    ("mycingular.net", "AT&T mobile"),
    ("myvzw.com", "Verizon Wireless"),
    ("hinet.net", "HiNet (Taiwan)"),
    ("163data.com.cn", "China Telecom"),
    ("veloxzone.com.br", "Oi Velox (Brazil)"),
    ("hispeed.ch", "UPC Switzerland cable"),
    ("ocn.ne.jp", "NTT OCN (Japan)"),
    ("client2.attbi.com", "AT&T Broadband (Comcast)"),
    ("home.nl", "Ziggo (@Home)"),
    ("chello.nl", "UPC Netherlands"),
    ("a2000.nl", "UPC Netherlands (A2000)"),
    ("chello.at", "UPC Austria"),
    ("chello.pl", "UPC Poland"),
    ("chello.fr", "UPC France"),
    ("chello.sk", "UPC Slovakia"),
    ("maxonline.com.sg", "StarHub MaxOnline (Singapore)"),
];

/// Consumer ISPs (cable, DSL, fibre, mobile) by registered domain: a name
/// under one of these that embeds the client's address is a subscriber line,
/// marker or not. Only the embedding counts here — these domains also hold
/// the ISPs' own mail and web servers, which are named, not numbered.
/// Business ranges named `static`/`biz`/`wsip`/`rrcs` still read as static.
pub(crate) const CONSUMER_ISP_DOMAINS: &[(&str, &str)] = &[
    // United States
    ("comcast.net", "Comcast Xfinity"),
    ("rr.com", "Charter/Spectrum"),
    ("charter.com", "Charter/Spectrum"),
    ("spectrum.com", "Charter/Spectrum"),
    ("twcable.com", "Spectrum (Time Warner Cable)"),
    ("bhn.net", "Spectrum (Bright House)"),
    ("cox.net", "Cox"),
    ("verizon.net", "Verizon"),
    ("att.net", "AT&T"),
    ("pacbell.net", "AT&T (Pacific Bell)"),
    ("bellsouth.net", "AT&T (BellSouth)"),
    ("ameritech.net", "AT&T (Ameritech)"),
    ("swbell.net", "AT&T (SBC)"),
    ("qwest.net", "CenturyLink/Lumen (Qwest)"),
    ("centurylink.net", "CenturyLink/Lumen"),
    ("centurytel.net", "CenturyLink/Lumen"),
    ("embarqhsd.net", "CenturyLink/Lumen (Embarq)"),
    ("frontiernet.net", "Frontier"),
    ("ftrdhcpuser.net", "Frontier"),
    ("optonline.net", "Optimum (Altice)"),
    ("optimum.net", "Optimum (Altice)"),
    ("suddenlink.net", "Suddenlink (Altice)"),
    ("cebridge.net", "Suddenlink (Altice)"),
    ("mchsi.com", "Mediacom"),
    ("mediacombb.net", "Mediacom"),
    ("rcn.com", "RCN/Astound"),
    ("windstream.net", "Windstream"),
    ("tds.net", "TDS Telecom"),
    ("cableone.net", "Cable One/Sparklight"),
    ("sparklight.net", "Cable One/Sparklight"),
    ("atlanticbb.net", "Atlantic Broadband"),
    ("knology.net", "WOW!/Knology"),
    ("wowway.com", "WOW!"),
    ("insightbb.com", "Insight Communications"),
    ("grandecom.net", "Grande Communications"),
    ("midco.net", "Midco"),
    ("zoominternet.net", "Armstrong"),
    ("myfairpoint.net", "Consolidated/FairPoint"),
    ("ptd.net", "PenTeleData"),
    ("hargray.net", "Hargray"),
    ("buckeyecom.net", "Buckeye Broadband"),
    ("fuse.net", "Cincinnati Bell"),
    ("covad.net", "Covad DSL"),
    ("tmodns.net", "T-Mobile US"),
    ("spcsdns.net", "Sprint"),
    ("hughes.net", "HughesNet satellite"),
    ("wildblue.net", "Viasat/WildBlue satellite"),
    ("starlinkisp.net", "Starlink"),
    ("clearwire-dns.net", "Clearwire"),
    ("attbi.com", "AT&T Broadband (Comcast)"),
    ("adelphia.net", "Adelphia"),
    ("cox-internet.com", "Cox"),
    ("roadrunner.nf.net", "Road Runner Newfoundland"),
    // Canada
    ("rogers.com", "Rogers"),
    ("bell.ca", "Bell Canada"),
    ("sympatico.ca", "Bell Canada"),
    ("videotron.ca", "Vidéotron"),
    ("telus.net", "Telus"),
    ("cogeco.ca", "Cogeco"),
    ("cgocable.net", "Cogeco"),
    ("cgocable.ca", "Cogeco"),
    ("eastlink.ca", "Eastlink"),
    ("aliant.net", "Bell Aliant"),
    ("sasktel.net", "SaskTel"),
    ("mts.net", "Bell MTS"),
    ("teksavvy.com", "TekSavvy"),
    ("distributel.net", "Distributel"),
    // United Kingdom and Ireland
    ("btopenworld.com", "BT consumer broadband"),
    ("ntl.com", "Virgin Media (NTL)"),
    ("blueyonder.co.uk", "Virgin Media (Telewest)"),
    ("sky.com", "Sky Broadband"),
    ("skybroadband.com", "Sky Broadband"),
    ("bskyb.com", "Sky Broadband"),
    ("talktalk.net", "TalkTalk"),
    ("as13285.net", "TalkTalk"),
    ("as9105.com", "TalkTalk (Tiscali UK)"),
    ("tiscali.co.uk", "TalkTalk (Tiscali UK)"),
    ("opaltelecom.net", "TalkTalk (Opal)"),
    ("plus.com", "Plusnet"),
    ("plus.net", "Plusnet"),
    ("eircom.net", "eir (Ireland)"),
    // Germany, Austria, Switzerland
    ("versanet.de", "1&1 Versatel"),
    ("vodafone-ip.de", "Vodafone Germany"),
    ("kabel-deutschland.de", "Vodafone Kabel Deutschland"),
    ("unitymediagroup.de", "Vodafone (Unitymedia)"),
    ("unity-media.net", "Vodafone (Unitymedia)"),
    ("arcor-ip.net", "Vodafone (Arcor)"),
    ("telefonica.de", "Telefónica Germany (O2)"),
    ("kabelbw.de", "Kabel BW"),
    ("kabel-badenwuerttemberg.de", "Kabel BW"),
    ("netcologne.de", "NetCologne"),
    ("ewe-ip-backbone.de", "EWE TEL"),
    ("ewetel.net", "EWE TEL"),
    ("m-online.net", "M-net"),
    ("alice-dsl.net", "Alice (HanseNet)"),
    ("hansenet.de", "Alice (HanseNet)"),
    ("pppool.de", "Deutsche Telekom consumer lines"),
    ("vodafone.de", "Vodafone Germany (mobile and cable)"),
    ("d1-online.com", "Telekom Deutschland mobile"),
    ("surfer.at", "Magenta Austria (UPC)"),
    ("telekom.at", "A1 Telekom Austria"),
    ("liwest.at", "LIWEST"),
    ("inode.at", "A1 (Inode)"),
    ("bluewin.ch", "Swisscom consumer"),
    ("cablecom.ch", "UPC Switzerland"),
    ("upc.ch", "UPC Switzerland"),
    // France, Benelux
    ("wanadoo.fr", "Orange France"),
    ("sfr.net", "SFR"),
    ("bbox.fr", "Bouygues Telecom"),
    ("numericable.fr", "SFR (Numericable)"),
    ("club-internet.fr", "SFR (Club Internet)"),
    ("bouyguestelecom.fr", "Bouygues Telecom"),
    ("tiscali.fr", "Tiscali France"),
    ("skynet.be", "Proximus"),
    ("proximus.be", "Proximus"),
    ("telenet.be", "Telenet"),
    ("voo.be", "VOO"),
    ("brutele.be", "VOO (Brutélé)"),
    ("ziggo.nl", "Ziggo"),
    ("casema.nl", "Ziggo (Casema)"),
    ("kpn-net.com", "KPN"),
    ("versatel.nl", "Tele2 Netherlands (Versatel)"),
    ("tele2.nl", "Tele2 Netherlands"),
    ("online.nl", "Online.nl"),
    ("direct-adsl.nl", "KPN/Tele2 (direct ADSL)"),
    ("gaoland.net", "SFR (Neuf)"),
    // Southern Europe
    ("telecomitalia.it", "TIM (Telecom Italia)"),
    ("tiscali.it", "Tiscali Italia"),
    ("vodafonedsl.it", "Vodafone Italia"),
    ("libero.it", "Libero (Wind Infostrada)"),
    ("iol.it", "Libero (Wind Infostrada)"),
    ("orange.es", "Orange Spain"),
    ("jazztel.es", "Jazztel"),
    ("ono.com", "ONO (Vodafone Spain)"),
    ("euskaltel.es", "Euskaltel"),
    ("telecable.es", "Telecable"),
    ("netcabo.pt", "NOS (Netcabo)"),
    ("telepac.pt", "MEO (Telepac)"),
    ("vodafone.pt", "Vodafone Portugal"),
    ("optimus.pt", "NOS (Optimus)"),
    ("otenet.gr", "Cosmote (OTEnet)"),
    ("forthnet.gr", "Forthnet"),
    ("hol.gr", "Vodafone Greece (HOL)"),
    ("ttnet.com.tr", "Türk Telekom (TTNET)"),
    ("superonline.net", "Turkcell Superonline"),
    // Nordics
    ("comhem.se", "Tele2 (Com Hem)"),
    ("bredband2.com", "Bredband2"),
    ("telia.com", "Telia"),
    ("online.no", "Telenor Norway"),
    ("getinternet.no", "Telia Norway (Get)"),
    ("elisa-laajakaista.fi", "Elisa"),
    ("dnainternet.fi", "DNA"),
    ("inet.fi", "Telia Finland"),
    ("tele.dk", "TDC"),
    ("cybercity.dk", "Telenor Denmark (Cybercity)"),
    ("stofanet.dk", "Stofa"),
    ("kabelnettet.dk", "Kabelnettet"),
    ("chello.no", "UPC Norway"),
    // Central and Eastern Europe
    ("neostrada.pl", "Orange Polska (Neostrada)"),
    ("tpnet.pl", "Orange Polska"),
    ("inetia.pl", "Netia"),
    ("vectranet.pl", "Vectra"),
    ("plus.pl", "Plus (Polkomtel)"),
    ("upcbroadband.cz", "UPC Czech"),
    ("broadband.hu", "UPC Hungary"),
    ("invitel.hu", "Invitel"),
    ("t-online.hu", "Magyar Telekom"),
    ("corbina.ru", "Beeline (Corbina)"),
    ("mtu-net.ru", "MTS (MTU-Intel)"),
    ("ertelecom.ru", "Dom.ru (ER-Telecom)"),
    ("ufanet.ru", "Ufanet"),
    ("ukrtel.net", "Ukrtelecom"),
    ("volia.net", "Volia"),
    // Middle East and Africa
    ("netvision.net.il", "Partner (NetVision)"),
    ("hotnet.net.il", "HOT"),
    ("tedata.net", "TE Data (Egypt)"),
    ("vodacom.co.za", "Vodacom"),
    ("telkomsa.net", "Telkom SA"),
    ("mweb.co.za", "MWEB"),
    // Asia and Pacific
    ("plala.or.jp", "NTT Plala"),
    ("au-net.ne.jp", "KDDI au"),
    ("dion.ne.jp", "KDDI DION"),
    ("so-net.ne.jp", "So-net"),
    ("infoweb.ne.jp", "Nifty"),
    ("mesh.ad.jp", "BIGLOBE"),
    ("eonet.ne.jp", "eo (K-Opticom)"),
    ("zaq.ne.jp", "J:COM"),
    ("commufa.jp", "Commufa"),
    ("bbiq.jp", "BBIQ"),
    ("ucom.ne.jp", "UCOM"),
    ("yournet.ne.jp", "YourNet"),
    ("asahi-net.or.jp", "Asahi Net"),
    ("spacelan.ne.jp", "SpaceLAN"),
    ("seed.net.tw", "Seednet"),
    ("airtelbroadband.in", "Airtel"),
    ("bsnl.in", "BSNL"),
    ("tm.net.my", "TM (Unifi)"),
    ("pldt.net", "PLDT"),
    ("telkom.net.id", "Telkom Indonesia"),
    ("singnet.com.sg", "Singtel"),
    ("netvigator.com", "PCCW Netvigator (Hong Kong)"),
    ("totbb.net", "TOT"),
    ("3bb.co.th", "3BB"),
    ("viettel.vn", "Viettel"),
    ("fpt.vn", "FPT Telecom"),
    ("bigpond.net.au", "Telstra BigPond"),
    ("tpgi.com.au", "TPG"),
    ("optusnet.com.au", "Optus"),
    ("iinet.net.au", "iiNet"),
    ("internode.on.net", "Internode"),
    ("xtra.co.nz", "Spark NZ (Xtra)"),
    ("orcon.net.nz", "Orcon"),
    // Latin America
    ("virtua.com.br", "Claro NET (Virtua)"),
    ("telesp.net.br", "Vivo (Telesp)"),
    ("gvt.net.br", "Vivo (GVT)"),
    ("brasiltelecom.net.br", "Oi (Brasil Telecom)"),
    ("vivozap.com.br", "Vivo mobile"),
    ("claro.net.br", "Claro Brasil"),
    ("prod-infinitum.com.mx", "Telmex Infinitum"),
    ("uninet-ide.com.mx", "Telmex"),
    ("megared.net.mx", "Megacable"),
    ("cable.net.co", "Claro Colombia (Telmex)"),
    ("fibertel.com.ar", "Fibertel"),
    ("speedy.com.ar", "Movistar Argentina (Speedy)"),
    ("telecom.net.ar", "Telecom Argentina"),
    ("vtr.net", "VTR (Chile)"),
    ("movistar.cl", "Movistar Chile"),
    ("une.net.co", "UNE/Tigo (Colombia)"),
    ("cantv.net", "CANTV"),
];

/// More consumer ISPs worldwide (added for issue #14), one per line as
/// "registered-domain Name", `#` starting a region heading. From the ISPs'
/// own reverse names as logged in SpamAssassin's and fqrdns.pcre's examples
/// and in Spamhaus PBL's ISP-maintained ranges. Read like
/// `CONSUMER_ISP_DOMAINS`; kept as one string because a table of string
/// pairs costs the page's wasm eight bytes of pointers per string.
pub(crate) const MORE_CONSUMER_ISPS: &str = "
# North America
googlefiber.net Google Fiber
sonic.net Sonic
rcn.net RCN/Astound
astound.net Astound
wavecable.com Wave Broadband
consolidated.net Consolidated Communications
gci.net GCI (Alaska)
earthlink.net EarthLink
mindspring.com EarthLink (MindSpring)
ntelos.net nTelos
shentel.net Shentel
alltel.net Alltel
bresnan.net Bresnan
charter.net Charter/Spectrum
metrocast.net MetroCast/Breezeline
breezeline.net Breezeline
dslextreme.com DSL Extreme
northstate.net North State
farmerstel.com Farmers Telephone
everestkc.net Everest (Kansas City)
cogeco.net Cogeco
xplornet.com Xplornet
start.ca Start Communications
fido.ca Fido (Rogers mobile)
telebecinternet.net Télébec
acanac.net Acanac
primus.ca Primus Canada
vianet.ca Vianet
# Latin America and the Caribbean
totalplay.net Totalplay (Mexico)
cablevision.net.mx Cablevisión (Mexico)
axtel.net Axtel
alestra.net.mx Alestra
prodigy.net.mx Telmex (Prodigy)
telemar.net.br Oi (Telemar)
timbrasil.com.br TIM Brasil
ctbcnetsuper.com.br Algar (CTBC)
telecentro.com.ar Telecentro
arnet.com.ar Telecom Argentina (Arnet)
entel.cl Entel Chile
gtdinternet.com GTD (Chile)
tie.cl Telefónica Chile
etb.net.co ETB (Colombia)
emcali.net.co Emcali
epm.net.co EPM (Colombia)
speedy.net.pe Movistar Peru
anteldata.net.uy Antel (Uruguay)
cablecolor.hn Cable Color (Honduras)
codetel.net.do Claro (Dominican Republic)
cwjamaica.com Flow Jamaica
coqui.net Claro Puerto Rico (Coqui)
prtc.net Claro Puerto Rico (PRTC)
onelinkpr.net OneLink (Puerto Rico)
# Europe
02.net O2 UK mobile
threembb.co.uk Three UK mobile broadband
bt.net BT consumer broadband
kcom.com KCOM (Hull)
hyperoptic.com Hyperoptic
bethere.co.uk Be Unlimited
pipex.com Pipex
magnet.ie Magnet (Ireland)
upc.ie Virgin Media Ireland (UPC)
nc.de NetCologne
mnet-online.de M-net
o2online.de Telefónica Germany (O2)
primacom.net primacom
inexio.net inexio
qsc.de QSC/Plusnet
as20676.net Plusnet (QSC)
versatel.de 1&1 Versatel
tropolys.de Versatel (Tropolys)
osnanet.de osnatel
ish.de Unitymedia (ish)
iesy.net Unitymedia (iesy)
einsundeins.de 1&1
mediaways.net Telefónica (mediaWays)
a1.net A1 Telekom Austria
drei.com Drei (Austria)
drei.at Drei (Austria)
upc.at Magenta Austria (UPC)
salzburg-online.at Salzburg AG
sunrise.ch Sunrise
quickline.ch Quickline
salt.ch Salt
green.ch green.ch
coucou-networks.fr Free Mobile
scarlet.be Scarlet (Proximus)
belgacom.be Proximus (Belgacom)
orange.be Orange Belgium
kpn.net KPN
delta.nl DELTA
zeelandnet.nl DELTA (ZeelandNet)
t-mobilethuis.nl T-Mobile Thuis
odido.nl Odido (T-Mobile Netherlands)
xs4all.nl XS4ALL
quicknet.nl Quicknet
prioritytelecom.net UPC Netherlands (Priority)
concepts.nl Concepts ICT
pt.lu POST Luxembourg
telenor.se Telenor Sweden
telenor.dk Telenor Denmark
ownit.se Ownit
tele2.se Tele2 Sweden
glocalnet.net Glocalnet
nextgentel.com NextGenTel
nextgentel.no NextGenTel
altibox.net Altibox
lyse.net Lyse/Altibox
saunalahti.fi Elisa (Saunalahti)
anvia.fi Anvia
vodafone.it Vodafone Italia
tim.it TIM
eolo.it EOLO
telefonica.net Movistar Spain
vodafone.es Vodafone Spain
mundo-r.com R Cable (Galicia)
nos.pt NOS
netvisao.pt NOS (Cabovisão)
cyta.gr Cyta Hellas
cytanet.com.cy Cyta (Cyprus)
go.net.mt GO (Malta)
ttnet.net.tr Türk Telekom (TTNET)
turk.net TurkNet
orange.pl Orange Polska
netia.com.pl Netia
toya.net.pl Toya
play-internet.pl Play
t-mobile.pl T-Mobile Polska
aster.pl Aster
mm.pl Multimedia Polska
tmcz.cz T-Mobile Czech
vodafone.cz Vodafone Czech
t-com.sk Slovak Telekom
orange.sk Orange Slovakia
slovanet.sk Slovanet
telekom.hu Magyar Telekom
digikabel.hu DIGI Hungary
rdsnet.ro DIGI Romania (RCS&RDS)
rcs-rds.ro DIGI Romania (RCS&RDS)
romtelecom.net Telekom Romania
upcnet.ro UPC Romania
vivacom.bg Vivacom
btc-net.bg Vivacom (BTC)
spectrumnet.bg Spectrum Net
t-com.hr Hrvatski Telekom
iskon.hr Iskon
optinet.hr Optima Telekom
telekom.rs Telekom Srbija
sbb.rs SBB (Serbia)
eunet.rs EUnet (Serbia)
siol.net Telekom Slovenije (SiOL)
t-2.net T-2 (Slovenia)
amis.net Amis (Slovenia)
zebra.lt Zebra (Lithuania)
cgates.lt Cgates
anet.lt Anet
estpak.ee Telia Estonia (Estpak)
elisa.ee Elisa Estonia
starman.ee Elisa Estonia (Starman)
kyivstar.net Kyivstar
rt.ru Rostelecom
qwerty.ru Qwerty
caucasus.net Caucasus Online
online.ge Caucasus Online
arminco.com Arminco
# Middle East and Africa
012.net.il Partner (012)
barak.net.il Barak
link.net LINKdotNET (Egypt)
iam.net.ma Maroc Telecom
menara.ma Maroc Telecom (Menara)
topnet.tn Topnet
saudi.net.sa Saudi Net
emirates.net.ae Etisalat
batelco.com.bh Batelco
omantel.net.om Omantel
parsonline.net ParsOnline
accesskenya.com Access Kenya
telkomadsl.co.za Telkom SA
# Asia and Pacific
vsnl.net.in Tata (VSNL)
actcorp.in ACT Fibernet
hathway.com Hathway
mtnl.net.in MTNL
sify.net Sify
bol.net.in BSNL (bol)
nayatel.pk Nayatel
wateen.net Wateen
multi.net.pk Multinet Pakistan
spmode.ne.jp NTT docomo (sp-mode)
mopera.net NTT docomo (mopera)
access-internet.ne.jp IIJ/Access Internet
e-mobile.ne.jp Y!mobile (EMOBILE)
nttpc.ne.jp NTTPC (InfoSphere)
odn.ad.jp SoftBank ODN
odn.ne.jp SoftBank ODN
vectant.ne.jp Vectant
itscom.jp iTSCOM
tiki.ne.jp TikiTiki
hkcable.com.hk i-CABLE (Hong Kong)
i-cable.com i-CABLE (Hong Kong)
ctinets.com HKBN (CTI)
hkbn.net HKBN
so-net.net.tw So-net Taiwan
giga.net.tw GigaMedia (Taiwan)
tfn.net.tw Taiwan Fixed Network
apol.com.tw APOL (Taiwan)
totalbb.net.tw Total Broadband (Taiwan)
kbronet.com.tw kbro (Taiwan)
starhub.net.sg StarHub
time.net.my TIME dotCom
totinternet.net TOT (Thailand)
asianet.co.th True Internet (Asianet)
tttmaxnet.com TT&T Maxnet (Thailand)
bayantel.com.ph Bayantel
skybroadband.com.ph SkyBroadband (Philippines)
vnpt.vn VNPT
exetel.com.au Exetel
aussiebb.net Aussie Broadband
dodo.com.au Dodo
westnet.com.au Westnet
adam.com.au Adam Internet
people.net.au People Telecom
connect.net.au AAPT (connect.com.au)
slingshot.co.nz Slingshot
vodafone.co.nz Vodafone NZ
clear.net.nz TelstraClear
telstraclear.net TelstraClear
callplus.net.nz CallPlus
paradise.net.nz Paradise (NZ)
snap.net.nz Snap (NZ)
ihug.co.nz ihug
";

/// More consumer ISPs, taken from fqrdns.pcre's "generic" and "dynamic"
/// sections (github.com/stevejenkins/hardwarefreak.com-fqrdns.pcre, public
/// domain): domains whose address-numbered reverse names that list rejects as
/// end-user lines ("relay via ISP"). The hosting providers and business
/// carriers in those sections (Claranet, Exa, Onyx, XO, NuVox, Allegiance,
/// US LEC, …) are left out (they are in `HOSTING_DOMAINS` or
/// nowhere). Read like `CONSUMER_ISP_DOMAINS`; one string, separated by
/// white space, for the same reason as `MORE_CONSUMER_ISPS`.
pub(crate) const FQRDNS_CONSUMER_DOMAINS: &str = "
4u.com.gh abissnet.al accessus.net acelerate.net actualnetwork.com.br adamswells.com
adslplus.ch afcity.net afnet.net ahol.hu ahrt.hu airbites.pl airtel.net airvision.at
ajato.com.br albacom.net alfanumeric.com.ni alfatelecom.ru alice.nl alicedsl.de alkar.net
allegiance.tv almus.net amnethn.com andorpac.ad apid.com aracnet.com araxinfo.com arctel.ru
arrakis.es artcommunication.co.yu artcoms.ru artnet.su as15444.net as43234.net asparuhovo.net
asta-net.com.pl astral.ro atlanet.it atnet.ru atomlink.ru autocom.pl avangard-dsl.ru
avangarddsl.ru avantel.net.mx aviso.ci avtlg.ru b26.cz balticum.lt baltnet.ru barak-online.net
barrettxplore.com bashtel.ru batelco.jo baydenet.com.br bbeyond.nl bbt.net.ar bellsouth.net.ar
bendtel.net beotel.net beyondbb.com bhfc.net bigtelecom.ru bikab.com biysk.ru bizartelecom.ro
blic.net blue-cable.de blue4.cz bluecom.no bluetone.cz bnet.at bnk.lt bol.bg
borusantelekom.com botosani.ro brightview.com broadbandscope.com broker.com.pl brtel.com.br
brucewschmitt.com bryansktel.ru btes.tv bti.net.ph bulldogdsl.com bvconline.com.ar bway.net
c-line.ru cable21.net cablebg.net cablelynx.com cableonda.net cableonline.com.mx
cablerocket.net cablespeed.com cableworld.es cabonnet.com.br caiway.nl calixo.net cambrium.nl
catv.net.pl catv296.ne.jp cavtel.net cegetel.net centertel.pl chirpan.tv chtts.ru cia.com
cilnet.com.br citinet.pl citykom.de citylink-rk.ru citynet.pl citynetwireless.net citynsk.ru
clarocom.net clax.ro clearviewcatv.net cmaaccess.com cn.ru cndata.com coditel.net coldecon.com
coldecon.net.co com2com.ru comindico.com.au comporium.net comsat.net.ar comstar.ru comtat.ru
comunitel.net connect.com.fj contelsia.com conwaycorp.net coopenet.net.ao coopenet.net.ar
cooptel.qc.ca coprosys.cz corbina.net costavision.com cotas.com.bo cotel.com.ar crowley.pl
cruzio.com csa-net.pl csk.pl csloxinfo.net csolve.net ct.co.cr ctc.net current.net
cybercable.net.mx cybergrota.com.pl cybernet.ch cyfra.net cypresscom.net datagroup.com.ua
datanet.hu datapoint.ru datavo.com dbd-ipconnect.net dbnet.dk dcc.bg dedicado.com.uy
dejazzd.com deldsl.net deltanet.ge dial.net.mx dialog.net.pl dialuol.com.br digicom.ro
digitelone.com digiweb.ie dinanet.net.co dipelnet.com.br direcpc.com directnet.com.br
directonpc.com diskonttelecom.ru dls.net dnlab.ru domonet.ru donpac.ru dravanet.hu drytel.net
dsidata.sk dsl.net.pk dslavangard.ru dslgb.com dtccom.net dubna.ru e-catv.ne.jp e-kirov.ru
e-oren.ru e-plan.pl e-sky.ru e-tagil.ru eaccess.ne.jp eastex.net easy-com.pl eatel.net
echoes.net ecutel.net edatel.net.co edirectlink.com eftel.com ego.co.th ekk.bg elcom.ru
elsv-v.ru embarqnow.net energy-net.ro enformatic.pl enred.com entelnet.bo enternet.hu epix.net
erdves.lt ert.com.co esat.net esoo.ru espenza.ru estmn.ru etel.hu ett.ua etv.net euro-net.pl
eurotel.cz euroweb.hu evc.net evhr.net expro.com.pl fairpoint.net farlep.net fast.net.id
fast.net.uk fastlink.lt fastlinkdata.jo fastres.net fatbanana.ca fdn.com fiberlink.ro
fibernet.ro finemedia.pl firmradio.net flash.net.br flash.tv.br flashnet.pl fmctc.com
freedom2surf.net freenet.com.ua frionline.com.br frontierbroadband.com g-net.net
g4group.com.br gazinter.net generalnet.net genext.net geonetsa.com ggbit.net gigalink.net.br
global-gateway.net.nz globnet.md globonet.hu go.com.jo gol.net.gy golden-star.ru goodline.info
gotadsl.co.uk grayhill.com greendottt.net grodno.by gtel.net.mx hananet.net hcsds.ru hdsnet.hu
helios-tv.ru hi-velocity.net hiway.at hnet.ru hqglobal.net hri.net.pk i-company.ru i-san.net
i-set.ru ibercom.com ice.no icosmos.ru icpnet.pl idknet.com ifx.net.co ifxnw.cl ig.com.br
ignite.net iia.cl iland.net ilink.ro impsat.com.co imsday.com in2cable.com infinet.co.ke
info-link.ru info.com.ph integral-net.spb.ru intelignet.com.br intelnet.net.gt inter.net
inter.net.il intercable.net intercable.net.co interlain.lv interlan.ru intermedia.net.pl
intersv.com intramail.ru intrans.az intred.it inturbo.lt iol.cz iol.sk iolbroadband.net
ip2long.net iplannetworks.net iptelecom.net.ua irapida.com.br irishbroadband.ie irtel.ru is.lt
is74.ru isadsl.co.za iskratelecom.ru issr.ru isurgut.ru it-net.pl it4web.ro itv.net.ua
iusacell.net iw.net izhline.net izhnt.ru j-cnet.jp ja.net.br jamamobile.co.nz ji-net.com
kabelszat2002.hu kamchatka.ru kamp-dsl.de karneval.cz katch.ne.jp kava.lt kaza.cz kbrnet.ru
kbtelecom.net khakasnet.ru kherson.ua khn.ru kht.ru kiev.ua kirov.ru kis.lt kis.ru komtels.ru
kosnet.ru krasnet.ru krdn.ru krm.net.ua kuban.ru kuzbass.net kve.cz kvidex.ru landnet.ro
lanet.net.pl lcds.com lga.net.sg lianet.ru libello.mc libertysurf.net ligtel.com lijbrandt.net
line.cz linkexpress.com.br livas.lv logixcom.net longlines.com look.ca ltis.net luxdsl.pt.lu
macomnet.net mactelecom.net magistral.by magistraly.ru magma.ca magnet.ch mana.pf
managedbroadband.co.uk manquehue.net marcanet.net.mx marcatel.net.mx mari-el.ru mark-itt.net
marocconnect.net.ma marsoft.net marton.net.pl mastercabo.com.br maxcom.net.mx maxtelecom.bg
mcloudteleco.com mcn.ru mcnet.cz mdswireless.com mediacommerce.com.co medias.ne.jp
mediaserv.net medicom.bg mega.kg megazon.com.br mels.ru merca.net.co metalink.net metrocom.ru
metrotel.net.co mezzonet.net mgts.by mhcable.com migtel.ru mikrovisata.net millicom.com.ar
mlode.com mnc.pl mnsi.net mobilphone.com modem.ru modulonet.fr mogilev.by monaco.mc
monornet.hu montanasat.net morning.ru mosline.ru movilmax.com movilnet.com.ve movinet.com.uy
movistar.net.ar mozcom.net mrse.com.ar mstarmetro.net mts-nn.ru mtu.ru mundivox.com mv.ru
mx-net.cz mxc.ru myactv.net myt.mu narzan.com nationalcablenetworks.ru nauticom.net nbox.cz
nc-systems.no ncable.com.au nchel.ru ncnet.ru nctc.com nctv.com nefkom.net nelsonvilletv.com
nemontel.net neoviatelecom.com.br nesma.net.sa net-htp.de net-surf.net net-uno.net net13.ro
net24.it netaccess.ro netactive.net netcommander.com netcomng.com netline.cl netmadeira.com
netnet.net netpro.co.yu netsonline.net.pk netspace.net.au netstream.com nettlinx.com
networx-bg.com newwavecomm.net nexcom.ru nextra.cz nextra.sk nextweb.net ngi.it nigol.net.ng
nile-online.net nipcable.com nls.net noos.fr nornett.net northrock.bm nov.ru novanet.ec
novatelbg.net novis.pt npgco.com nqt.com.br nsplus.ru ntebb.no ntelecom.com.br ntlworld.com
ntlworld.ie ntt.co.th ntt.net.au nvbell.net nwgsm.ru oanet.com odessa.ua oktv.se olympus.ru
omkc.ru omskdom.ru omsknet.ru one.at onego.ru onetel.net.uk oninet.ne.jp online.kz
online.sh.cn ontelecoms.gr optynex.com orange.at orbitel.net.co orel.ru ote.gr otvk.pl
paltel.net parisat.hu parma.ru parsdp.com pathcom.com pathwayz.com patmedia.net peak.org
pentex.pl peoplenet.ua perm.ru permonline.ru peterstar.net pivot.net plateautel.net
platinum.ca plustelecom.ru poda.cz pol.net.in polarnet.ru powergate.ca prima.net.ar
primorye.net.ru primorye.ru prod-dial.com.mx proen.co.th prtcnet.org prtelecom.hu prw.net
psinetpa.net ptc.pl ptprime.net ptvtelecom.com punto.net.ec pwd.ne.jp radiant.net
radiantnet.ru radiocom.ro rallstech.org ranetka.ru rasana.net rdsnav.ro rdstm.ro rdtc.ru
rekkon.ru ridsa.com.ar rikt.ru rinet.ru rio-express.net rioaccess.com rmt.ru rnl.ru
robi.com.mk rol.ru romexnet.ro rp80.se rsspnet.ru rtc.coop rtelekom.net rubicom.hu runext.com
ruscomp.net rygveda.lt sakhalin.ru sakhalintelecom.ru samara.ru san.ru santel.net saransk.ru
satelnet.ro satgate.net satnet.net satronet.sk schedom-europe.net sctelcom.net sdnet.net
server.by setardsl.aw setel.com sevsky.net sezampro.yu sferia.net shinternet.ch sigmanet.hn
silego.com silverstar.com simnet.is sinectis.com.ar sky.ru skylink.ru smsnet.pl snet.net
snt.ru sodobrasil.net.br solo.by southerncoastalcable.net sovam.net.ua sovintel.ru
spark-rostov.ru sparqnet.net spdop.ru speedyterra.com.br spitfireuk.net sprint-hsd.net
sprintbbd.net srtnet.com starnet.md stars.net.sa steel.net.ar stv.ru su29.ru sunflower.com
suomi.net supercable.net.ve superkabel.de supernet.com.bo supraktv.hu sura.ru suranet.net
surewest.net surnet.cl surnet.ru suttk.ru svtc.ru swan.sk swayzee.com swiftkenya.com
switzerland.net sydskane.nu t-com.ne.jp t-mobile.at t6broadband.com talia.net tario-plus.net
tche.br tchercom.ru tcnet.com.br tczew.net.pl td.net.ua tdatabrasil.net.br te-dns.org
telbonet.an telcel.net.ve tele.net tele2.at tele2.ee tele2.it tele2.lt tele2.lv telebeep.com
telecable.com.do telecall.ru telecet.ru telecom.by telecomitalia.sm telecomplus.net
telefonica-ca.net telefonicamundo.cl telelet.dk teleline.hu telemach.net telemaxdom.ru
telenet.ru teleos.ru teleportsv.net teleru.net telesat.net.br telesat.net.co
teletektelekom.com telfort.nl tellas.gr telmex.net.ar telnor.net telpin.com.ar telpol.net.pl
telrostelecom.ru telviso.net.ar teol.net tera-net.ro terra.cl terra.net.lb tesatnet.pl
tesco.net three.co.uk tinp.net.tw tis-dialog.ru tiscali.dk tiscali.nl tkom.cz tktelekom.pl
tmcity.ru tnp.pl tolcom.ru tomsknet.ru tot.co.th totisp.net towerstream.net tps.uz transact.bm
tre.se tricom.net trngroup.ru tsinet.ru tsnet.ru tstt.net.tt tsua.net ttknet.ru ttn.net
tula.net tulipconnect.com tvcablenet.be tvcom.net.ua tvkdiana.pl tvnet.hu tvnetwork.hu
tvninternet.com.br tvoe.tv tvtel.pt tvtnet.ch twang.net udm.net ufacom.ru ufamts.ru ugtel.ru
ukpn.ru ulx.ru unet.cz uninet.net.mx unitline.ru unnet.ru unotel.com.br uolsinectis.com.ar
uralcom.com utel.net.ua utel.ua vdnet.lt vel.net velocitytech.net versatel.net
viacabocom.com.br viateldsl.com virgin.net vista-express.com vitebsk.by vitnett.no
vivax.com.br vivodi.gr vnet.sk vntc.ru vologda.ru vologdaregion.ru vrn.ru vrtelecom.com.br
vsi.ru vtc.ru vtelecom.ru vtx.ch wanamaroc.com warrennet.org wavetelecom.com.br
wayinternet.com.br wcc.net webperoni.de websud.ch westcall.net williamsacosta.com
wlms-broadband.com wln.net.br wobline-ip.de wobline.de wplus.ru wvi.com wxdsl.nl xnet.hr
xs4all.be yaknet.ca yarnet.ru yaroslavl.ru yoladom.ru zain.com zappmobile.ro
";

/// Hosting and cloud providers whose generated names mean a static address in
/// a data centre (not residential), but still generic.
pub(crate) const HOSTING_DOMAINS: &[(&str, &str)] = &[
    ("compute.amazonaws.com", "Amazon EC2"),
    ("compute-1.amazonaws.com", "Amazon EC2"),
    ("googleusercontent.com", "Google Cloud"),
    ("cloudapp.azure.com", "Microsoft Azure"),
    ("cloudapp.net", "Microsoft Azure"),
    ("linode.com", "Linode (Akamai)"),
    ("linodeusercontent.com", "Linode (Akamai)"),
    ("akamaitechnologies.com", "Akamai"),
    ("vultrusercontent.com", "Vultr"),
    ("vultr.com", "Vultr"),
    ("choopa.net", "Vultr (Choopa)"),
    ("your-server.de", "Hetzner"),
    ("contaboserver.net", "Contabo"),
    ("ovh.net", "OVHcloud"),
    ("ovh.ca", "OVHcloud"),
    ("ovh.us", "OVHcloud"),
    ("kimsufi.com", "OVHcloud (Kimsufi)"),
    ("secureserver.net", "GoDaddy"),
    ("poneytelecom.eu", "Scaleway"),
    ("scaleway.com", "Scaleway"),
    ("hostwindsdns.com", "Hostwinds"),
    ("upcloud.host", "UpCloud"),
    ("softlayer.com", "IBM Cloud (SoftLayer)"),
    ("cloud-ips.com", "Rackspace"),
    ("leaseweb.net", "Leaseweb"),
    ("leaseweb.com", "Leaseweb"),
    ("hosteurope.de", "Host Europe"),
    ("kundenserver.de", "IONOS"),
    ("pbiaas.com", "IONOS"),
    ("onlinehome-server.info", "IONOS"),
    ("stratoserver.net", "Strato"),
    ("netcup.net", "netcup"),
    ("hostgator.com", "HostGator"),
    ("bluehost.com", "Bluehost"),
    ("dreamhost.com", "DreamHost"),
    ("a2hosting.com", "A2 Hosting"),
    ("colocrossing.com", "ColoCrossing"),
    ("quadranet.com", "QuadraNet"),
    ("m247.com", "M247"),
    ("packethost.net", "Equinix Metal"),
    ("hstgr.cloud", "Hostinger"),
    ("racknerd.com", "RackNerd"),
    ("frantech.ca", "BuyVM (FranTech)"),
    ("time4vps.com", "Time4VPS"),
    // Added for issue #14: hosting names from fqrdns.pcre's generic section
    // (kept out of the consumer table) and providers' documented defaults.
    ("serverpronto.com", "ServerPronto"),
    ("gogrid.com", "GoGrid"),
    ("theplanet.com", "The Planet"),
    ("kasserver.com", "All-Inkl"),
    ("serverkompetenz.net", "Serverkompetenz"),
    ("pureserver.info", "IONOS (pureserver)"),
    ("sadecehosting.net", "Sadece Hosting"),
    ("uralhosting.ru", "Ural Hosting"),
    ("defenderhosting.com", "Defender Hosting"),
    ("intergenia.de", "PlusServer (intergenia)"),
    ("ip-pool.com", "PlusServer (intergenia)"),
    ("cprapid.com", "cPanel hosted servers"),
    ("digitalocean.com", "DigitalOcean"),
    ("hetzner.com", "Hetzner"),
    ("hetzner.de", "Hetzner"),
    ("ionos.com", "IONOS"),
    ("ionos.de", "IONOS"),
    ("hostdime.com", "HostDime"),
    ("tzulo.com", "Tzulo"),
    ("datapacket.com", "DataPacket"),
    ("nazwa.pl", "nazwa.pl"),
    ("cloudfront.net", "Amazon CloudFront"),
    ("amazonaws.com", "Amazon Web Services"),
    ("azure.com", "Microsoft Azure"),
    ("oraclecloud.com", "Oracle Cloud"),
    ("hwclouds-dns.com", "Huawei Cloud"),
    ("aliyun.com", "Alibaba Cloud"),
    ("tencentcloud.com", "Tencent Cloud"),
    ("ovh.com", "OVHcloud"),
    ("online.net", "Scaleway (online.net)"),
    ("fastly.net", "Fastly"),
    ("inmotionhosting.com", "InMotion Hosting"),
    ("liquidweb.com", "Liquid Web"),
    ("hostinger.com", "Hostinger"),
    ("webhostbox.net", "Webhostbox"),
    ("zap-hosting.com", "ZAP-Hosting"),
    ("psychz.net", "Psychz"),
    ("hostus.us", "HostUS"),
    ("ubiquityhosting.com", "Ubiquity"),
    ("nocix.net", "NOCIX"),
    ("sharktech.net", "Sharktech"),
    ("as9009.net", "M247"),
    ("timeweb.ru", "Timeweb"),
    ("selectel.ru", "Selectel"),
    ("firstvds.ru", "FirstVDS"),
    ("beget.com", "Beget"),
    ("reg.ru", "REG.RU hosting"),
    ("myihor.ru", "IHOR"),
    ("aeza.net", "Aeza"),
    ("sakura.ne.jp", "Sakura Internet"),
    ("xserver.jp", "Xserver"),
    ("conoha.io", "ConoHa"),
    ("amazonaws.com.cn", "Amazon Web Services (China)"),
    ("scw.cloud", "Scaleway"),
];

/// Mail providers: their outbound servers' names often carry parts of the
/// address (`a8-12.smtp-out.amazonses.com`, `m228-45.mailgun.net`) and are
/// servers, never residential.
pub(crate) const MAIL_PROVIDER_DOMAINS: &[(&str, &str)] = &[
    ("google.com", "Google"),
    ("outlook.com", "Microsoft"),
    ("amazonses.com", "Amazon SES"),
    ("sendgrid.net", "SendGrid"),
    ("mailgun.net", "Mailgun"),
    ("mandrillapp.com", "Mailchimp Transactional"),
    ("rsgsv.net", "Mailchimp"),
    ("mcsv.net", "Mailchimp"),
    ("sparkpostmail.com", "SparkPost"),
    ("mtasv.net", "Postmark"),
    ("yahoo.com", "Yahoo"),
    ("yahoodns.net", "Yahoo"),
    ("mimecast.com", "Mimecast"),
    ("pphosted.com", "Proofpoint"),
    ("zoho.com", "Zoho"),
    ("zohomail.com", "Zoho"),
    ("icloud.com", "Apple iCloud"),
    ("me.com", "Apple iCloud"),
    ("protonmail.ch", "Proton"),
    ("messagingengine.com", "Fastmail"),
    ("gmx.net", "GMX"),
    ("web.de", "WEB.DE"),
    ("sendinblue.com", "Brevo"),
    ("brevo.com", "Brevo"),
    ("mailjet.com", "Mailjet"),
    ("smtp2go.com", "SMTP2GO"),
    ("barracudanetworks.com", "Barracuda"),
    ("messagelabs.com", "Broadcom MessageLabs"),
    // Added for issue #14: mailbox providers whose outbound hosts carry digits.
    ("mailbox.org", "mailbox.org"),
    ("t-online.de", "Telekom Mail (t-online.de)"),
    ("orange.fr", "Orange Mail"),
    ("free.fr", "Free Mail"),
    ("laposte.net", "La Poste Mail"),
    ("aol.com", "AOL"),
    ("mail.ru", "Mail.ru"),
    ("yandex.net", "Yandex"),
    ("yandex.ru", "Yandex"),
    ("seznam.cz", "Seznam"),
    ("wp.pl", "WP Poczta"),
    ("interia.pl", "Interia"),
    ("naver.com", "Naver"),
    ("qq.com", "Tencent QQ Mail"),
    ("ukr.net", "ukr.net"),
    ("rambler.ru", "Rambler"),
    ("mailchannels.net", "MailChannels"),
    ("ppe-hosted.com", "Proofpoint Essentials"),
    ("hornetsecurity.com", "Hornetsecurity"),
    ("iphmx.com", "Cisco Secure Email"),
    ("trendmicro.com", "Trend Micro Email Security"),
    ("sophos.com", "Sophos Email"),
    ("elasticemail.com", "Elastic Email"),
    ("postmarkapp.com", "Postmark"),
    ("sendpulse.com", "SendPulse"),
    ("mailerlite.com", "MailerLite"),
    ("exacttarget.com", "Salesforce Marketing Cloud"),
    ("emsend.com", "Emarsys"),
    ("mailin.fr", "Brevo (Sendinblue)"),
    ("ccsend.com", "Constant Contact"),
    ("createsend.com", "Campaign Monitor"),
    ("cmail19.com", "Campaign Monitor"),
    ("cmail20.com", "Campaign Monitor"),
    ("hubspotemail.net", "HubSpot"),
    ("salesforce.com", "Salesforce"),
    ("mktomail.com", "Adobe Marketo"),
    ("klaviyomail.com", "Klaviyo"),
    ("zendesk.com", "Zendesk"),
    ("socketlabs.com", "SocketLabs"),
    ("antispameurope.com", "Hornetsecurity"),
    ("mailcontrol.com", "Forcepoint Email Security"),
    ("emailsrvr.com", "Rackspace Email"),
];

/// The entries of `MORE_CONSUMER_ISPS`: (registered domain, ISP).
pub(crate) fn more_consumer_isps() -> impl Iterator<Item = (&'static str, &'static str)> {
    MORE_CONSUMER_ISPS
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once(' '))
}

/// The domains of `FQRDNS_CONSUMER_DOMAINS`.
pub(crate) fn fqrdns_consumer_domains() -> impl Iterator<Item = &'static str> {
    FQRDNS_CONSUMER_DOMAINS.split_ascii_whitespace()
}
