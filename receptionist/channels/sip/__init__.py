"""The SIP phone line (pjsua2). Import `SipLine` from `receptionist.channels.sip.line`; this package's
pure parts (policy, events, flow) import without pjsua2's native library being loaded."""
