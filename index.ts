import zapier, { defineApp } from 'zapier-platform-core';

import authentication from './authentication.js';
import { packageInfo } from './lib/package-info.js';

import contactCreated from './triggers/contactCreated.js';
import contactUpdated from './triggers/contactUpdated.js';
import contactsMerged from './triggers/contactsMerged.js';
import contactOwnershipTransferred from './triggers/contactOwnershipTransferred.js';
import contactDeleted from './triggers/contactDeleted.js';
import enquiryCreated from './triggers/enquiryCreated.js';
import enquiryHandled from './triggers/enquiryHandled.js';
import enquiryClosed from './triggers/enquiryClosed.js';
import enquiryMissed from './triggers/enquiryMissed.js';
import smsStatusReceived from './triggers/smsStatusReceived.js';
import tagCreated from './triggers/tagCreated.js';
import tagUpdated from './triggers/tagUpdated.js';
import tagDeleted from './triggers/tagDeleted.js';
import ticketCreated from './triggers/ticketCreated.js';
import chatStarted from './triggers/chatStarted.js';
import chatEnded from './triggers/chatEnded.js';
import numberList from './triggers/numberList.js';
import staffList from './triggers/staffList.js';
import roomList from './triggers/roomList.js';
import tagList from './triggers/tagList.js';
import agentList from './triggers/agentList.js';
import groupList from './triggers/groupList.js';
import ticketList from './triggers/ticketList.js';

import sendSms from './creates/sendSms.js';
import sendStaffMessage from './creates/sendStaffMessage.js';
import sendRoomMessage from './creates/sendRoomMessage.js';
import createContact from './creates/createContact.js';
import updateContact from './creates/updateContact.js';
import createTicket from './creates/createTicket.js';
import updateTicket from './creates/updateTicket.js';
import createAgent from './creates/createAgent.js';
import deleteAgent from './creates/deleteAgent.js';

import findEnquiry from './searches/findEnquiry.js';
import findContact from './searches/findContact.js';
import findTicket from './searches/findTicket.js';
import findAgent from './searches/findAgent.js';
import findTickets from './searches/findTickets.js';
import findAgents from './searches/findAgents.js';
import findServiceNumbers from './searches/findServiceNumbers.js';

export default defineApp({
  version: packageInfo.version,
  platformVersion: zapier.version,

  authentication,

  triggers: {
    [contactCreated.key]: contactCreated,
    [contactUpdated.key]: contactUpdated,
    [contactsMerged.key]: contactsMerged,
    [contactOwnershipTransferred.key]: contactOwnershipTransferred,
    [contactDeleted.key]: contactDeleted,
    [enquiryCreated.key]: enquiryCreated,
    [enquiryHandled.key]: enquiryHandled,
    [enquiryClosed.key]: enquiryClosed,
    [enquiryMissed.key]: enquiryMissed,
    [smsStatusReceived.key]: smsStatusReceived,
    [tagCreated.key]: tagCreated,
    [tagUpdated.key]: tagUpdated,
    [tagDeleted.key]: tagDeleted,
    [ticketCreated.key]: ticketCreated,
    [chatStarted.key]: chatStarted,
    [chatEnded.key]: chatEnded,
    [numberList.key]: numberList,
    [staffList.key]: staffList,
    [roomList.key]: roomList,
    [tagList.key]: tagList,
    [agentList.key]: agentList,
    [groupList.key]: groupList,
    [ticketList.key]: ticketList,
  },
  creates: {
    [sendSms.key]: sendSms,
    [sendStaffMessage.key]: sendStaffMessage,
    [sendRoomMessage.key]: sendRoomMessage,
    [createContact.key]: createContact,
    [updateContact.key]: updateContact,
    [createTicket.key]: createTicket,
    [updateTicket.key]: updateTicket,
    [createAgent.key]: createAgent,
    [deleteAgent.key]: deleteAgent,
  },
  searches: {
    [findEnquiry.key]: findEnquiry,
    [findContact.key]: findContact,
    [findTicket.key]: findTicket,
    [findAgent.key]: findAgent,
    [findTickets.key]: findTickets,
    [findAgents.key]: findAgents,
    [findServiceNumbers.key]: findServiceNumbers,
  },
  searchOrCreates: {
    findContact: {
      key: 'findContact',
      display: {
        label: 'Find or Create Contact',
        description: 'Finds an external contact by full name, email or phone, and creates one if none is found.',
      },
      search: 'findContact',
      create: 'createContact',
    },
  },
});
