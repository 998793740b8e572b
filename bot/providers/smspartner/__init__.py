"""SMSPartner: call forwarding of virtual numbers (POST /v1/vn/callforward, no read call)."""
